"""The JSON control API under /_sandbox, so another process can drive the sandbox."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from aiohttp import web

from sandbox.rest.common import json_response

if TYPE_CHECKING:
    from sandbox.driver import Sandbox

SANDBOX_KEY: web.AppKey[Any] = web.AppKey("sandbox", object)


def _sb(request: web.Request) -> Sandbox:
    sandbox: Sandbox = request.app[SANDBOX_KEY]
    return sandbox


async def _error_guard(request: web.Request, coro: Any) -> web.Response:
    try:
        return json_response(await coro)
    except (KeyError, LookupError, TypeError, ValueError) as exc:
        return json_response({"error": f"{type(exc).__name__}: {exc}"}, 400)
    except TimeoutError as exc:
        return json_response({"error": f"TimeoutError: {exc}"}, 504)


async def command(request: web.Request) -> web.Response:
    """Run a command: {user, name, options, channel?, timeout?} → Reply JSON."""
    body = await request.json()

    async def run() -> Any:
        reply = await _sb(request).command(
            body["user"], body["name"], channel=body.get("channel"),
            timeout=float(body.get("timeout", 5.0)), options=body.get("options", {}))
        return reply.to_json()

    return await _error_guard(request, run())


async def autocomplete(request: web.Request) -> web.Response:
    """Autocomplete: {user, name, option, typed, options?} → list of choices."""
    body = await request.json()

    async def run() -> Any:
        return await _sb(request).autocomplete(
            body["user"], body["name"], body["option"], body["typed"],
            channel=body.get("channel"), options=body.get("options", {}))

    return await _error_guard(request, run())


async def press_button(request: web.Request) -> web.Response:
    """Press a button: {user, message_id, custom_id} → Reply JSON."""
    body = await request.json()

    async def run() -> Any:
        reply = await _sb(request).press_button(
            body["user"], int(body["message_id"]), body["custom_id"])
        return reply.to_json()

    return await _error_guard(request, run())


async def react(request: web.Request) -> web.Response:
    """React or unreact: {user, message_id, emoji, burst?, remove?}."""
    body = await request.json()

    async def run() -> Any:
        sandbox = _sb(request)
        if body.get("remove"):
            await sandbox.unreact(body["user"], int(body["message_id"]), body["emoji"])
        else:
            await sandbox.react(body["user"], int(body["message_id"]), body["emoji"],
                                burst=bool(body.get("burst")))
        return {"ok": True}

    return await _error_guard(request, run())


async def reaction_burst(request: web.Request) -> web.Response:
    """{message_id, emoji, count}: as many new members each react, in one socket write."""
    body = await request.json()

    async def run() -> Any:
        sandbox = _sb(request)
        message = sandbox.message(int(body["message_id"]))
        guild = sandbox.world.guilds[message.guild_id or 0]
        users = sandbox.world.add_users(guild, int(body["count"]), prefix="burst")
        started = time.time()
        frames = await sandbox.react_burst(
            [(user, message, body["emoji"]) for user in users], one_write=True)
        return {"frames": frames, "started": started, "written": time.time()}

    return await _error_guard(request, run())


async def say(request: web.Request) -> web.Response:
    """{user, channel, content}: post a message as anyone (the bot too) → {id}."""
    body = await request.json()

    async def run() -> Any:
        sandbox = _sb(request)
        user = body["user"]
        message = await sandbox.say(
            int(user) if str(user).isdigit() else user, body["channel"], body["content"])
        return {"id": str(message.id), "channel_id": str(message.channel_id)}

    return await _error_guard(request, run())


async def messages(request: web.Request) -> web.Response:
    """List a channel's messages (by id or name) as they now stand."""
    async def run() -> Any:
        sandbox = _sb(request)
        return [sandbox.world.message_payload(m)
                for m in sandbox.messages(request.match_info["channel"])]

    return await _error_guard(request, run())


async def dms(request: web.Request) -> web.Response:
    """List the bot's DMs to a user."""
    async def run() -> Any:
        sandbox = _sb(request)
        return [sandbox.world.message_payload(m) for m in sandbox.dms(request.match_info["user"])]

    return await _error_guard(request, run())


async def calls(request: web.Request) -> web.Response:
    """Return the REST call log."""
    return json_response([
        {"method": c.method, "path": c.path, "json": c.json, "status": c.status}
        for c in _sb(request).calls
    ])


async def ready(request: web.Request) -> web.Response:
    """Wait until a bot session is ready (?shard=&timeout=)."""
    shard = request.query.get("shard")

    async def run() -> Any:
        await _sb(request).wait_ready(int(shard) if shard else None,
                                      float(request.query.get("timeout", 10)))
        return {"ready": True}

    return await _error_guard(request, run())


async def world(request: web.Request) -> web.Response:
    """Summarise the world: guilds with channels and roles by name, users by name."""
    w = _sb(request).world
    return json_response({
        "application_id": str(w.application_id),
        "bot_id": str(w.bot.id),
        "users": {u.username: str(u.id) for u in w.users.values()},
        "guilds": [{
            "id": str(g.id), "name": g.name,
            "channels": {w.channels[c].name: str(c) for c in g.channel_ids},
            "roles": {r.name: str(r.id) for r in g.roles.values()},
        } for g in w.guilds.values()],
        "command_syncs": len(w.command_syncs),
    })


def add_control_routes(app: web.Application, sandbox: Sandbox) -> None:
    """Mount the control API on the sandbox's app."""
    app[SANDBOX_KEY] = sandbox
    app.router.add_post("/_sandbox/command", command)
    app.router.add_post("/_sandbox/autocomplete", autocomplete)
    app.router.add_post("/_sandbox/press_button", press_button)
    app.router.add_post("/_sandbox/react", react)
    app.router.add_post("/_sandbox/reaction_burst", reaction_burst)
    app.router.add_post("/_sandbox/say", say)
    app.router.add_get("/_sandbox/channels/{channel}/messages", messages)
    app.router.add_get("/_sandbox/dms/{user}", dms)
    app.router.add_get("/_sandbox/calls", calls)
    app.router.add_get("/_sandbox/ready", ready)
    app.router.add_get("/_sandbox/world", world)
