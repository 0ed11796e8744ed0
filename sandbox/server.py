"""The aiohttp application: REST under /api/v10, the gateway at /gateway, control API."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable

from aiohttp import web

from sandbox.faults import Fault, Faults
from sandbox.gateway import Gateway
from sandbox.rest import applications, events, guilds, interactions, messages, reactions, users
from sandbox.rest.common import WORLD_KEY, json_response, read_body
from sandbox.validation import ApiError
from sandbox.world import Call, World

API_PREFIX = "/api/v10"
GATEWAY_KEY: web.AppKey[Gateway] = web.AppKey("gateway", Gateway)
FAULTS_KEY: web.AppKey[Faults] = web.AppKey("faults", Faults)
# Routes discord.py calls without the bot token (the interaction token authorises them).
UNAUTHENTICATED = ("/interactions/", "/webhooks/", "/gateway")
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def _fault_response(fault: Fault) -> web.Response:
    if fault.kind == "429":
        response = json_response({
            "message": "You are being rate limited.",
            "retry_after": fault.retry_after,
            "global": fault.is_global,
        }, status=429)
        # discord.py only honours a 429 carrying Via (else it assumes a Cloudflare ban).
        response.headers["Via"] = "1.1 google"
        response.headers["Retry-After"] = str(max(1, round(fault.retry_after)))
        response.headers["X-RateLimit-Scope"] = "global" if fault.is_global else "user"
        if fault.is_global:
            response.headers["X-RateLimit-Global"] = "true"
        return response
    return json_response({"message": f"{fault.status}: Server Error", "code": 0},
                         status=fault.status)


@web.middleware
async def api_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Apply faults and auth, turn ApiErrors into Discord bodies and log every call."""
    if not request.path.startswith(API_PREFIX):
        return await handler(request)
    world = request.app[WORLD_KEY]
    path = request.path[len(API_PREFIX):]
    response: web.StreamResponse | None = None
    payload = None
    try:
        try:
            payload = (await read_body(request)).json
        except ApiError as exc:
            response = json_response(exc.body(), exc.status)
        fault = request.app[FAULTS_KEY].take(request.method, path)
        if fault is not None and fault.kind == "delay":
            await asyncio.sleep(fault.delay)
        elif fault is not None:
            response = _fault_response(fault)
        if response is None and not path.startswith(UNAUTHENTICATED):
            if request.headers.get("Authorization") != f"Bot {world.token}":
                response = json_response({"message": "401: Unauthorized", "code": 0}, 401)
            elif wait := request.app[FAULTS_KEY].global_wait():
                # Interaction callbacks and webhooks are outside the global limit, as on Discord.
                response = _fault_response(Fault("*", "*", "429", 1, retry_after=round(wait, 3),
                                                 is_global=True))
        if response is None:
            response = await handler(request)
    except ApiError as exc:
        response = json_response(exc.body(), exc.status)
    except web.HTTPNotFound:
        response = json_response({"message": "404: Not Found", "code": 0}, 404)
    except web.HTTPMethodNotAllowed:
        response = json_response({"message": "405: Method Not Allowed", "code": 0}, 405)
    world.calls.append(Call(request.method, path, payload, response.status, dict(request.query)))
    return response


async def _attachment(request: web.Request) -> web.Response:
    """Serve an attachment's bytes (attachment URLs point here)."""
    world = request.app[WORLD_KEY]
    wanted = int(request.match_info["attachment_id"])
    for message in world.messages.values():
        for attachment in message.attachments:
            if attachment.id == wanted:
                ctype = attachment.content_type or "application/octet-stream"
                return web.Response(body=attachment.data, content_type=ctype)
    raise web.HTTPNotFound()


def build_app(world: World, gateway: Gateway, faults: Faults) -> web.Application:
    """Assemble the application serving one world."""
    app = web.Application(middlewares=[api_middleware], client_max_size=64 * 1024 * 1024)
    app[WORLD_KEY] = world
    app[GATEWAY_KEY] = gateway
    app[FAULTS_KEY] = faults
    for table in (users.routes, applications.routes, interactions.routes, reactions.routes,
                  messages.routes, guilds.routes, events.routes):
        for route in table:
            assert isinstance(route, web.RouteDef)
            app.router.add_route(route.method, API_PREFIX + route.path, route.handler)
    app.router.add_route("*", API_PREFIX + "/{tail:.*}", _unknown)
    app.router.add_get("/gateway", gateway.handle)
    app.router.add_get("/gateway/", gateway.handle)
    app.router.add_get("/_sandbox/attachments/{attachment_id}/{filename}", _attachment)
    return app


async def _unknown(request: web.Request) -> web.Response:
    """Answer Discord's 404 for routes the sandbox does not know."""
    return web.Response(body=json.dumps({"message": "404: Not Found", "code": 0}).encode(),
                        status=404, content_type="application/json")
