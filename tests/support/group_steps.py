"""Steps shared by the groups end-to-end tests."""

from __future__ import annotations

from db.models import Group
from sandbox.replies import Reply
from tests.support.gug import Gug


async def configure(gug: Gug) -> None:
    """Run the admin's one-time /setup: coordinator role, review channel, category."""
    sb = gug.sb
    role = sb.world.role("Coordinators")
    await sb.command("admin", "setup coordinator-role", role=role.id)
    await sb.command(
        "admin", "setup coordinator-channel", options={"channel": sb.channel("coordinators").id}
    )
    await sb.command("admin", "setup category", category=sb.channel("Groups").id)


async def propose(gug: Gug, user: str, name: str, city: str, country: str, **extra: str) -> Reply:
    """Propose a group as ``user``."""
    return await gug.sb.command(
        user, "group propose", name=name, city=city, country=country, **extra
    )


def proposal_message(gug: Gug, name: str):
    """Return the review message posted for the proposal called ``name``."""
    for message in reversed(gug.sb.messages("coordinators")):
        if any(name in (embed.get("title") or "") for embed in message.embeds):
            return message
    raise AssertionError(f"no proposal message for {name}")


async def active_group(gug: Gug, user: str, name: str, city: str, country: str) -> int:
    """Propose and approve a group through the commands; return its id."""
    await propose(gug, user, name, city, country)
    message = proposal_message(gug, name)
    approve_id = next(cid for cid in gug.sb.snapshot(message).custom_ids() if "approve" in cid)
    reply = await gug.sb.press_button("coord", message, approve_id)
    assert "Approved" in reply.text, reply.text
    return int(approve_id.rsplit(":", 1)[1])


async def group_row(gug: Gug, group_id: int) -> Group:
    """Read a group as the database now has it."""
    async with gug.db.read() as session:
        group = await session.get(Group, group_id)
    assert group is not None
    return group


async def unlinked(gug: Gug, group_id: int, *, channel: bool = False, role: bool = False) -> None:
    """Wait until the bot unlinked the group's deleted channel and/or role."""

    async def done() -> bool:
        group = await group_row(gug, group_id)
        return (not channel or group.channel_id is None) and (not role or group.role_id is None)

    await gug.sb.wait_for(done, timeout=5)


async def settle(gug: Gug) -> None:
    """Wait until the events sent so far reached the bot (a command travels after them)."""
    await gug.sb.command("erin", "about")
