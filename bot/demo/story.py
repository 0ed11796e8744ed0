"""The seed's story, played as real interactions: find, propose, approve, meet, remind.

Each step acts as a person would (slash commands, buttons, reactions) and then checks
what the bot produced, as seen in the sandbox: replies, posts, reactions and DMs.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import aiohttp

from bot.demo.stage import Stage, Step, StepFailed, channel_named, embeds_text

GOING, MAYBE, NOT_GOING = "✅", "❔", "❌"
MEETING_TITLE = "Automatización con Python"
TALK_TITLE = "Cómo probamos nuestro bot"
REMINDER_WAIT = 90.0


async def set_up_the_server(stage: Stage) -> None:
    """Set the scene: coordinators configured, an active group in Montevideo."""
    await stage.command("admin", "setup coordinator-role", role="Coordinators")
    await stage.command("admin", "setup coordinator-channel", channel="coordinators")
    await stage.command("admin", "setup category", category="Groups")
    await stage.command("admin", "setup directory", public=True)
    await stage.command(
        "bob", "group propose", name="GUG Montevideo", city="Montevideo", country="Uruguay",
        description="Encuentros mensuales en Ciudad Vieja.",
    )
    group = await stage.pick("coord", "coord approve", "group", "Montevideo")
    await stage.command("coord", "coord approve", group=group)
    await stage.until(
        lambda: channel_named(stage, "gug-montevideo") is not None,
        "approving GUG Montevideo created no #gug-montevideo channel",
    )


async def newcomer_finds_no_group_in_rosario(stage: Stage) -> None:
    """Carol, in Rosario, looks for a group and is shown the nearest one."""
    reply = await stage.command("carol", "findgroup", place="rosario")
    text = reply.text
    stage.require("Montevideo" in text, "/findgroup rosario did not show GUG Montevideo")
    stage.require("km" in text, "/findgroup rosario did not say how far the nearest group is")
    stage.require("/group propose" in text, "/findgroup rosario did not invite to /group propose")


async def newcomer_proposes_a_group(stage: Stage) -> None:
    """Carol proposes GUG Rosario; the proposal reaches the coordinators' channel."""
    await stage.command(
        "carol", "group propose", name="GUG Rosario", city="Rosario", country="Argentina",
        description="Usuarios de Rosario y alrededores.",
    )
    channel = channel_named(stage, "coordinators")
    stage.require(channel is not None, "there is no #coordinators channel")

    def proposal_posted() -> bool:
        return any(
            "GUG Rosario" in embeds_text(message.embeds) and message.components
            for message in stage.sb.messages(channel or 0)
        )

    await stage.until(proposal_posted, "the proposal was not posted in #coordinators with buttons")
    message = next(
        message for message in stage.sb.messages(channel or 0)
        if "GUG Rosario" in embeds_text(message.embeds)
    )
    stage.show_message("#coordinators", message)
    stage.memory["proposal"] = message


async def coordinator_reviews_and_approves(stage: Stage) -> None:
    """List pending proposals as the coordinator and approve GUG Rosario by button."""
    pending = await stage.command("coord", "coord pending")
    stage.require("GUG Rosario" in pending.text, "/coord pending did not list GUG Rosario")
    proposal = stage.memory["proposal"]
    buttons = stage.sb.snapshot(proposal).custom_ids()
    approve = next((cid for cid in buttons if "approve" in cid), None)
    stage.require(approve is not None, "the proposal has no Approve button")
    stage.transcript.action("coord", "presses Approve")
    reply = await stage.sb.press_button("coord", proposal, approve or "")
    stage.show_reply(reply)
    await stage.until(
        lambda: channel_named(stage, "gug-rosario") is not None,
        "approving GUG Rosario created no #gug-rosario channel",
    )
    stage.require(
        any(role.name == "GUG Rosario" for role in stage.sb.world.guild.roles.values()),
        "approving GUG Rosario created no role",
    )
    await stage.until(lambda: bool(stage.sb.dms("carol")), "carol was not told of the approval")
    stage.show_message("DM to carol", stage.sb.dms("carol")[-1])


async def organizer_schedules_a_meeting(stage: Stage) -> None:
    """Carol sets short reminder offsets and schedules a technical meeting for two people."""
    group = await stage.pick("carol", "meeting create", "group", "Rosario")
    await stage.command("carol", "reminders offsets", group=group, offsets="1m")
    zone = ZoneInfo("America/Argentina/Cordoba")
    # Seconds precision keeps the one-minute reminder a few seconds away, not up to a minute.
    starts = (datetime.now(zone) + timedelta(seconds=80)).replace(microsecond=0)
    stage.memory["starts"] = starts
    await stage.command(
        "carol", "meeting create", group=group, title=MEETING_TITLE,
        when=starts.strftime("%Y-%m-%d %H:%M:%S"), kind="technical", capacity=2,
        venue="Biblioteca Argentina, Rosario",
    )
    channel = channel_named(stage, "gug-rosario") or 0

    def announced() -> bool:
        return any(MEETING_TITLE in embeds_text(m.embeds) for m in stage.sb.messages(channel))

    await stage.until(announced, "no announcement was posted in #gug-rosario")
    announcement = next(
        m for m in stage.sb.messages(channel) if MEETING_TITLE in embeds_text(m.embeds)
    )
    await stage.until(
        lambda: {GOING, MAYBE} <= set(stage.sb.reactions(announcement)),
        "the bot did not add the RSVP reactions to the announcement",
    )
    stage.show_message("#gug-rosario", announcement)
    stage.memory["announcement"] = announcement


async def member_proposes_a_talk_and_it_is_accepted(stage: Stage) -> None:
    """Dave proposes a talk; Carol accepts it and it joins the announcement's agenda."""
    meeting = await stage.pick("dave", "talk propose", "meeting", "")
    await stage.command("dave", "talk propose", meeting=meeting, title=TALK_TITLE)
    talk = await stage.pick("carol", "talk accept", "talk", "")
    await stage.command("carol", "talk accept", talk=talk)
    announcement = stage.memory["announcement"]
    await stage.until(
        lambda: TALK_TITLE in embeds_text(stage.sb.snapshot(announcement).embeds),
        "the accepted talk did not appear in the announcement's agenda",
    )


async def members_rsvp_and_the_waitlist_moves(stage: Stage) -> None:
    """Three say going to a meeting for two: one waits, and moves up when another drops."""
    announcement = stage.memory["announcement"]
    dms_before = len(stage.sb.dms("dave"))
    for user, emoji in (("alice", GOING), ("erin", GOING), ("dave", GOING), ("bob", MAYBE)):
        stage.transcript.action(user, f"reacts {emoji} on the announcement")
        await stage.sb.react(user, announcement, emoji)

    def told(count: int, word: str) -> bool:
        dms = stage.sb.dms("dave")
        return len(dms) >= count and word in dms[count - 1].content.lower()

    await stage.until(
        lambda: told(dms_before + 1, "waitlist"), "dave was not told his place on the waitlist"
    )
    stage.show_message("DM to dave", stage.sb.dms("dave")[dms_before])
    stage.transcript.action("erin", f"removes her {GOING}")
    await stage.sb.unreact("erin", announcement, GOING)
    await stage.until(
        lambda: len(stage.sb.dms("dave")) >= dms_before + 2,
        "dave was not told he moved up from the waitlist",
    )
    stage.show_message("DM to dave", stage.sb.dms("dave")[dms_before + 1])
    await stage.until(
        lambda: "2/2" in embeds_text(stage.sb.snapshot(announcement).embeds).replace(" ", ""),
        "the announcement's counts did not settle at 2/2 going",
    )
    stage.transcript.action("bob", f"changes his mind: {NOT_GOING} instead of {MAYBE}")
    await stage.sb.react("bob", announcement, NOT_GOING)
    bob = stage.sb.user("bob").id
    await stage.until(
        lambda: bob not in stage.sb.reactions(announcement).get(MAYBE, {}).get("normal", []),
        "the bot did not remove bob's old ❔ reaction",
    )
    stage.show_message("#gug-rosario (updated)", stage.sb.world.messages[announcement.id])


async def a_reminder_fires(stage: Stage) -> None:
    """Wait for the reminder a minute before the meeting, pinging those going."""
    channel = channel_named(stage, "gug-rosario") or 0
    alice, dave = stage.sb.user("alice").id, stage.sb.user("dave").id
    stage.transcript.note("waiting for the reminder (offset 1m)…")

    def reminded() -> bool:
        return any({alice, dave} <= stage.sb.pinged(m) for m in stage.sb.messages(channel))

    await stage.until(reminded, "no reminder pinged alice and dave", within=REMINDER_WAIT)
    message = next(m for m in stage.sb.messages(channel) if {alice, dave} <= stage.sb.pinged(m))
    stage.show_message("#gug-rosario", message)
    stage.require(
        stage.sb.user("erin").id not in stage.sb.pinged(message),
        "the reminder pinged erin, who is not going",
    )


async def coordinator_looks_at_the_network(stage: Stage) -> None:
    """Close the evening with the network's statistics."""
    reply = await stage.command("coord", "coord stats")
    stage.require("GUG Rosario" in reply.text, "/coord stats did not list GUG Rosario")


async def anyone_finds_the_group_on_the_web(stage: Stage) -> None:
    """Someone outside Discord searches the public directory, typo included."""
    site = stage.local.settings.web.base_url
    stage.transcript.action("a visitor", f"opens {site}/?q=rosaio")
    async with aiohttp.ClientSession() as session, session.get(f"{site}/?q=rosaio") as page:
        text = await page.text()
    stage.require(page.status == 200, f"the directory answered {page.status}")
    stage.require("GUG Rosario" in text, "searching the directory for rosaio missed GUG Rosario")
    stage.transcript.note(f"the directory lists GUG Rosario: {site}/")


STORY: tuple[Step, ...] = (
    Step("A server with an active group in Montevideo", set_up_the_server),
    Step("A member in Rosario looks for a group", newcomer_finds_no_group_in_rosario),
    Step("They propose GUG Rosario", newcomer_proposes_a_group),
    Step("The coordinator approves it", coordinator_reviews_and_approves),
    Step("The new organizer schedules a meeting", organizer_schedules_a_meeting),
    Step("A member proposes a talk", member_proposes_a_talk_and_it_is_accepted),
    Step("Members RSVP; the waitlist moves", members_rsvp_and_the_waitlist_moves),
    Step("A reminder fires", a_reminder_fires),
    Step("The coordinator looks at the network", coordinator_looks_at_the_network),
    Step("Anyone finds the group on the web", anyone_finds_the_group_on_the_web),
)

__all__ = ["STORY", "StepFailed"]
