"""A local stand-in for Discord's REST API and gateway, for tests, benchmarks and demos."""

from sandbox.driver import Sandbox
from sandbox.permissions import Intent, Perm
from sandbox.remote import RemoteSandbox
from sandbox.replies import File, Reply
from sandbox.world import World, default_world

__all__ = ["File", "Intent", "Perm", "RemoteSandbox", "Reply", "Sandbox", "World", "default_world"]
