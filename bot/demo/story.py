"""The seed's story as real interactions: find, wait, propose, approve, invite, meet, remind.

Each step acts as a person would (slash commands, buttons, reactions) and then checks
what the bot produced, as seen in the sandbox: replies, posts, reactions and DMs.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import aiohttp

from bot.demo.stage import Stage, Step, StepFailed, channel_named, embeds_text
from sandbox.entities import Message

GOING, MAYBE, NOT_GOING = "✅", "❔", "❌"
MEETING_TITLE = "Automatización con Python"
TALK_TITLE = "Cómo probamos nuestro bot"
SPEAKER_TOPIC = "Kubernetes para principiantes"
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


async def another_member_waits_for_rosario(stage: Stage) -> None:
    """Erin, also in Rosario, asks to be told when a group starts there."""
    reply = await stage.command("erin", "findgroup", place="Rosario, Argentina")
    notify = next((cid for cid in reply.custom_ids() if cid.startswith("gug:notify:")), None)
    stage.require(notify is not None, "/findgroup rosario offered no Notify me button")
    stage.transcript.action("erin", "presses Notify me")
    pressed = await stage.sb.press_button("erin", reply, notify or "")
    stage.show_reply(pressed)
    stage.require("Rosario" in pressed.text, "Notify me did not confirm the wait in Rosario")


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


async def the_waiting_member_is_told(stage: Stage) -> None:
    """Erin, who waited for Rosario, hears of the new group and joins it by its button."""

    # Found by its Join button, not its words, so the story plays in any language.
    def joinable() -> list[tuple[Message, str]]:
        return [
            (dm, cid)
            for dm in stage.sb.dms("erin")
            for cid in stage.sb.snapshot(dm).custom_ids()
            if "join" in cid
        ]

    await stage.until(
        lambda: bool(joinable()), "erin, who waited for Rosario, was not told of GUG Rosario"
    )
    message, join = joinable()[0]
    stage.require("GUG Rosario" in message.content, "the DM to erin does not name GUG Rosario")
    stage.show_message("DM to erin", message)
    stage.transcript.action("erin", "presses Join")
    reply = await stage.sb.press_button("erin", message, join)
    stage.show_reply(reply)
    stage.require("GUG Rosario" in reply.text, "the Join button in the DM did not join erin")


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
    dms_before = len(stage.sb.dms("dave"))
    await stage.command("dave", "talk propose", meeting=meeting, title=TALK_TITLE)
    talk = await stage.pick("carol", "talk accept", "talk", "")
    await stage.command("carol", "talk accept", talk=talk)
    announcement = stage.memory["announcement"]
    await stage.until(
        lambda: TALK_TITLE in embeds_text(stage.sb.snapshot(announcement).embeds),
        "the accepted talk did not appear in the announcement's agenda",
    )
    # The reply comes before the DM; the next step counts dave's DMs from here.
    await stage.until(
        lambda: len(stage.sb.dms("dave")) > dms_before, "dave was not told his talk was accepted"
    )


async def a_speaker_from_another_city_is_invited(stage: Stage) -> None:
    """Bob offers a talk in Montevideo; Carol finds it misspelt, invites him, he accepts."""
    await stage.command(
        "bob", "speaker offer", topic=SPEAKER_TOPIC, languages="es, pt", remote=True,
        description="Del contenedor al clúster, paso a paso.",
    )
    found = await stage.command("carol", "speaker find", topic="kubernets")
    stage.require(
        SPEAKER_TOPIC in found.text and "GUG Montevideo" in found.text,
        "/speaker find kubernets did not show bob's talk and his group",
    )
    offer = await stage.pick("carol", "speaker invite", "offer", "kubernetes")
    meeting = await stage.pick("carol", "speaker invite", "meeting", "", offer=offer)
    dms_before = len(stage.sb.dms("bob"))
    await stage.command("carol", "speaker invite", offer=offer, meeting=meeting)
    await stage.until(lambda: len(stage.sb.dms("bob")) > dms_before, "bob got no invitation")
    invitation = stage.sb.dms("bob")[-1]
    stage.show_message("DM to bob", invitation)
    accept = next(
        (cid for cid in stage.sb.snapshot(invitation).custom_ids() if "accept" in cid), None
    )
    stage.require(accept is not None, "the invitation has no Accept button")
    carol_dms = len(stage.sb.dms("carol"))
    stage.transcript.action("bob", "presses Accept")
    stage.show_reply(await stage.sb.press_button("bob", invitation, accept or ""))
    announcement = stage.memory["announcement"]
    await stage.until(
        lambda: SPEAKER_TOPIC in embeds_text(stage.sb.snapshot(announcement).embeds),
        "bob's talk did not appear in the announcement's agenda",
    )
    await stage.until(
        lambda: len(stage.sb.dms("carol")) > carol_dms, "carol was not told bob accepted"
    )
    stage.show_message("DM to carol", stage.sb.dms("carol")[-1])


async def members_rsvp_and_the_waitlist_moves(stage: Stage) -> None:
    """Three say going to a meeting for two: one waits, and moves up when another drops."""
    announcement = stage.memory["announcement"]
    dms_before = len(stage.sb.dms("dave"))
    for user, emoji in (("alice", GOING), ("erin", GOING), ("dave", GOING), ("bob", MAYBE)):
        stage.transcript.action(user, f"reacts {emoji} on the announcement")
        await stage.sb.react(user, announcement, emoji)

    def told(count: int, *words: str) -> bool:
        # Names and numbers, not English words: the story plays in every language.
        dms = stage.sb.dms("dave")
        return len(dms) >= count and all(w in dms[count - 1].content for w in words)

    await stage.until(
        lambda: told(dms_before + 1, f"**{MEETING_TITLE}**", "1"),
        "dave was not told his place on the waitlist",
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
    Step("Another member waits for a group in Rosario", another_member_waits_for_rosario),
    Step("They propose GUG Rosario", newcomer_proposes_a_group),
    Step("The coordinator approves it", coordinator_reviews_and_approves),
    Step("The member who waited is told, and joins", the_waiting_member_is_told),
    Step("The new organizer schedules a meeting", organizer_schedules_a_meeting),
    Step("A member proposes a talk", member_proposes_a_talk_and_it_is_accepted),
    Step("A speaker from Montevideo is invited", a_speaker_from_another_city_is_invited),
    Step("Members RSVP; the waitlist moves", members_rsvp_and_the_waitlist_moves),
    Step("A reminder fires", a_reminder_fires),
    Step("The coordinator looks at the network", coordinator_looks_at_the_network),
    Step("Anyone finds the group on the web", anyone_finds_the_group_on_the_web),
)

__all__ = ["STORY", "StepFailed"]
