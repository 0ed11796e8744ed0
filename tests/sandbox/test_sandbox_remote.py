"""The control API: `python -m sandbox` in a subprocess, driven by RemoteSandbox."""

import asyncio
import os
import sys
from pathlib import Path

from sandbox import RemoteSandbox, Sandbox

ROOT = Path(__file__).resolve().parents[2]


class Proxy:
    """Just enough of Sandbox for `running_bot`: the URL, token and first guild id."""

    def __init__(self, base_url, token, guild_id):
        self.base_url = base_url
        self.token = token
        self.world = type("W", (), {"guilds": {guild_id: None}})()


async def test_remote_control_drives_a_command_against_python_m_sandbox(bot_runner):
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "sandbox", "--port", "0", cwd=ROOT,
        stdout=asyncio.subprocess.PIPE, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        env = {}
        while len(env) < 2:
            line = (await asyncio.wait_for(process.stdout.readline(), 10)).decode()
            assert line, "sandbox exited early"
            if line.startswith("export "):
                key, _, value = line.removeprefix("export ").strip().partition("=")
                env[key] = value
        base_url = env["GUGBOT_DISCORD_API"]
        assert base_url.startswith("http://127.0.0.1:")
        async with RemoteSandbox(base_url) as remote:
            world = await remote.world()
            proxy = Proxy(base_url, env["DISCORD_TOKEN"], int(world["guilds"][0]["id"]))
            async with bot_runner(proxy):
                await remote.wait_ready()
                reply = await remote.command("alice", "echo", text="hi", who="bob",
                                             where="general")
                assert reply.content.startswith("hi|False|")
                choices = await remote.autocomplete("alice", "place", "where", "ros")
                assert choices == [{"name": "Rosario", "value": "rosario"}]
                posted = await remote.command("alice", "buttons")
                pressed = await remote.press_button("bob", posted.message_id, "go")
                assert pressed.ephemeral
                await remote.react("carol", posted.message_id, "✅")
                messages = await remote.messages("general")
                assert any(m["reactions"] for m in messages)
                assert any(c["path"].endswith("/callback") for c in await remote.calls())
    finally:
        process.terminate()
        await process.wait()


async def test_env_names_the_api_and_token():
    async with Sandbox.start(token="tkn") as sb:
        assert sb.env() == {"GUGBOT_DISCORD_API": sb.base_url, "DISCORD_TOKEN": "tkn"}
