"""`gugbot run` as a separate process against `python -m sandbox`, driven from here."""

from __future__ import annotations

from pathlib import Path

from sandbox.remote import RemoteSandbox
from tests.support.processes import bot_process, sandbox_process


async def test_gugbot_run_answers_a_command_through_a_standalone_sandbox(tmp_path: Path) -> None:
    async with sandbox_process() as env, bot_process(
        env, tmp_path, config="[discord]\nguild_ready_timeout = 0.1\n"
    ) as process:
        async with RemoteSandbox(env["GUGBOT_DISCORD_API"]) as remote:
            await remote.wait_ready(timeout=30)
            reply = await remote.command("alice", "about")
        assert process.returncode is None
    assert "gugbot" in reply.text
    assert reply.ephemeral
    log = (tmp_path / "bot.log").read_text()
    assert env["DISCORD_TOKEN"] not in log
    assert (tmp_path / "gugbot.db").exists()
