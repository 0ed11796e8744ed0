"""`gugbot demo` as a newcomer runs it: a subprocess that must play every step."""

from __future__ import annotations

import asyncio
import re
import signal
import sys
from pathlib import Path

from aiohttp import ClientSession

from bot.demo.story import STORY
from bot.invite import REQUIRED_PERMISSIONS

DEMO_TIMEOUT = 150


async def start_demo(tmp_path: Path, *extra: str) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "demo", "--dir", str(tmp_path / "demo"), *extra,
        cwd=tmp_path,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
        env={"PATH": "/usr/bin:/bin", "COLUMNS": "200", "TERM": "dumb"},
    )


async def run_demo(tmp_path: Path, *extra: str) -> tuple[int, str]:
    process = await start_demo(tmp_path, *extra)
    output, _ = await asyncio.wait_for(process.communicate(), DEMO_TIMEOUT)
    assert process.returncode is not None
    return process.returncode, output.decode()


async def kept_demo(tmp_path: Path) -> tuple[int, str, int]:
    """Run `gugbot demo --keep` until it waits, fetch the directory it printed, stop it."""
    process = await start_demo(tmp_path, "--keep")
    assert process.stdout is not None
    lines: list[str] = []

    async def read_until_kept() -> None:
        while line := (await process.stdout.readline()).decode():  # type: ignore[union-attr]
            lines.append(line)
            if "Ctrl-C to stop" in line:
                return

    await asyncio.wait_for(read_until_kept(), DEMO_TIMEOUT)
    printed = re.search(r"Public directory: (http://127\.0\.0\.1:\d+/)", "".join(lines))
    assert printed is not None, "".join(lines)
    async with ClientSession() as session, session.get(printed.group(1)) as page:
        directory_status = page.status
    process.send_signal(signal.SIGINT)
    rest, _ = await asyncio.wait_for(process.communicate(), 30)
    assert process.returncode is not None
    return process.returncode, "".join(lines) + rest.decode(), directory_status


async def test_demo_plays_every_step_keeps_its_directory_up_and_exits_zero(
    tmp_path: Path,
) -> None:
    status, output, directory_status = await kept_demo(tmp_path)
    assert status == 0, output
    assert directory_status == 200
    for step in STORY:
        assert f"✔ {step.title}" in output, f"no success line for “{step.title}”\n{output}"
    assert "✘" not in output
    # The transcript shows what the bot answered, not only the verdicts.
    assert "▶ carol: /findgroup place:rosario" in output
    assert "GUG Montevideo" in output and "km" in output
    # The permissions the bot's requests needed are exactly those invite-url asks for.
    used = re.search(r"permissions used: (\d+)", output)
    assert used is not None
    assert int(used.group(1)) == REQUIRED_PERMISSIONS.value


async def test_demo_fails_naming_the_step_that_broke(tmp_path: Path) -> None:
    status, output = await run_demo(tmp_path, "--without-permission", "MANAGE_CHANNELS")
    assert status != 0
    assert "✘ step “A server with an active group in Montevideo” failed" in output
    assert "channel" in output.lower()
