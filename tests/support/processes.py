"""Start `python -m sandbox` and `gugbot run` as real processes for multi-process tests."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from pathlib import Path

STARTUP_TIMEOUT = 20.0


@asynccontextmanager
async def sandbox_process(port: int = 0) -> AsyncIterator[dict[str, str]]:
    """Run `python -m sandbox`; yield the environment variables it printed."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "sandbox", "--port", str(port),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.DEVNULL,
    )
    env: dict[str, str] = {}
    try:
        assert process.stdout is not None
        while "DISCORD_TOKEN" not in env or "GUGBOT_DISCORD_API" not in env:
            line = (await asyncio.wait_for(process.stdout.readline(), STARTUP_TIMEOUT)).decode()
            if not line:
                raise RuntimeError("python -m sandbox exited before printing its variables")
            if line.startswith("export "):
                key, _, value = line.removeprefix("export ").strip().partition("=")
                env[key] = value
        yield env
    finally:
        if process.returncode is None:
            process.terminate()
            await process.wait()


@asynccontextmanager
async def bot_process(
    env: Mapping[str, str], workdir: Path, config: str = ""
) -> AsyncIterator[asyncio.subprocess.Process]:
    """Run `gugbot run` with ``env`` (and an optional config file body) in ``workdir``."""
    environment = {**os.environ, **env}
    environment.setdefault("GUGBOT_DATABASE_URL", f"sqlite+aiosqlite:///{workdir}/gugbot.db")
    if config:
        path = workdir / "config.toml"
        path.write_text(config, encoding="utf-8")
        environment["GUGBOT_CONFIG"] = str(path)
    log = (workdir / "bot.log").open("wb")
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run",
        cwd=workdir, env=environment, stdout=log, stderr=log,
    )
    try:
        yield process
    finally:
        if process.returncode is None:
            process.terminate()
            try:
                await asyncio.wait_for(process.wait(), 10)
            except TimeoutError:
                process.kill()
                await process.wait()
        log.close()
