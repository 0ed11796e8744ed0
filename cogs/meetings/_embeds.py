"""Meeting embeds: the announcement, list lines, the attendee list and its CSV."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import discord

from bot.limits import EMBED_FIELD_VALUE_LIMIT, EMBED_TITLE_LIMIT, EMBED_TOTAL_LIMIT
from bot.timefmt import discord_timestamp
from core.formats import duration_in_words, local_datetime
from core.i18n import Translator, _
from core.text import fit, spreadsheet_cell
from db.meetings import Attendees, MeetingView
from db.models import MeetingKind, MeetingStatus, RsvpStatus

GOING_EMOJI = "✅"
MAYBE_EMOJI = "\u2754"  # ❔ white question mark ornament
NOT_GOING_EMOJI = "❌"
# The reactions the bot adds, in order, and the answer each stands for.
RSVP_EMOJIS: dict[str, str] = {
    GOING_EMOJI: RsvpStatus.GOING,
    MAYBE_EMOJI: RsvpStatus.MAYBE,
    NOT_GOING_EMOJI: RsvpStatus.NOT_GOING,
}
EMOJI_FOR: dict[str, str] = {answer: emoji for emoji, answer in RSVP_EMOJIS.items()}

# A description longer than this is cut even when the embed has room (it is an announcement).
DESCRIPTION_BUDGET = 3000
SCHEDULED_COLOUR = discord.Colour.blurple()
CANCELLED_COLOUR = discord.Colour.red()

KIND_LABELS: dict[str, str] = {
    MeetingKind.SOCIAL: _("Social"),
    MeetingKind.TECHNICAL: _("Technical"),
    MeetingKind.MIXED: _("Social and technical"),
}


def kind_label(kind: str, t: Translator) -> str:
    """Name a meeting kind in the reader's language."""
    return t(KIND_LABELS.get(kind, kind))


def _where(view: MeetingView, t: Translator) -> str:
    meeting = view.meeting
    parts = [meeting.venue] if meeting.venue else []
    if meeting.online_url:
        parts.append(meeting.online_url)
    return "\n".join(parts) or t(_("To be announced"))


def render_counts(view: MeetingView, t: Translator) -> str:
    """Write the RSVP counts: going (of capacity), maybe, waitlist."""
    counts = view.counts
    capacity = view.meeting.capacity
    going = f"{counts.going}/{capacity}" if capacity else str(counts.going)
    text = t(
        _("{going_emoji} Going: {going} · {maybe_emoji} Maybe: {maybe}"),
        going_emoji=GOING_EMOJI, going=going, maybe_emoji=MAYBE_EMOJI, maybe=counts.maybe,
    )
    if capacity or counts.waitlist:
        text += " · " + t(_("Waitlist: {waitlist}"), waitlist=counts.waitlist)
    return text


def render_announcement(
    view: MeetingView, locale: object = None, page_url: str | None = None
) -> discord.Embed:
    """Build the announcement embed, always from the stored state.

    Its title links to ``page_url``, the meeting's public page, when it has one.
    """
    t = Translator(locale)
    meeting = view.meeting
    cancelled = meeting.status == MeetingStatus.CANCELLED
    title = meeting.title
    if cancelled:
        title = t(_("CANCELLED: {title}"), title=title)
    embed = discord.Embed(
        title=fit(title, EMBED_TITLE_LIMIT),
        colour=CANCELLED_COLOUR if cancelled else SCHEDULED_COLOUR,
        url=page_url,
    )
    embed.set_author(name=fit(view.group.name, EMBED_TITLE_LIMIT))
    start = meeting.starts_at
    embed.add_field(
        name=t(_("When")),
        value=(
            f"{discord_timestamp(start, 'F')} ({discord_timestamp(start, 'R')})\n"
            + t(_("Local time: {local}"), local=local_datetime(start, view.group.timezone, locale))
        ),
        inline=False,
    )
    embed.add_field(name=t(_("Kind")), value=kind_label(meeting.kind, t))
    embed.add_field(
        name=t(_("Duration")),
        value=duration_in_words(timedelta(minutes=meeting.duration_minutes), locale),
    )
    embed.add_field(
        name=t(_("Where")), value=fit(_where(view, t), EMBED_FIELD_VALUE_LIMIT), inline=False
    )
    if view.agenda:
        lines = [f"• {item.title} — <@{item.speaker_id}>" for item in view.agenda]
        embed.add_field(
            name=t(_("Agenda")), value=fit("\n".join(lines), EMBED_FIELD_VALUE_LIMIT), inline=False
        )
    if cancelled:
        reason = meeting.cancel_reason or t(_("No reason given."))
        embed.add_field(
            name=t(_("Cancelled")), value=fit(reason, EMBED_FIELD_VALUE_LIMIT), inline=False
        )
    else:
        embed.add_field(name=t(_("RSVP")), value=render_counts(view, t), inline=False)
        embed.set_footer(
            text=t(
                _("React {going} going, {maybe} maybe, {no} not going."),
                going=GOING_EMOJI, maybe=MAYBE_EMOJI, no=NOT_GOING_EMOJI,
            )
        )
    # The description gets what the other parts leave of Discord's 6,000 total, so a long
    # venue, agenda and reason together never push the announcement over it.
    room = min(DESCRIPTION_BUDGET, EMBED_TOTAL_LIMIT - len(embed))
    embed.description = fit(meeting.description, room) or None
    return embed


def render_meeting_line(view: MeetingView, locale: object = None) -> str:
    """Write one line of /meeting list."""
    t = Translator(locale)
    meeting = view.meeting
    link = ""
    if meeting.announcement_channel_id and meeting.announcement_message_id:
        link = (
            f" · https://discord.com/channels/{meeting.guild_id}/"
            f"{meeting.announcement_channel_id}/{meeting.announcement_message_id}"
        )
    return (
        f"**{fit(meeting.title, 100)}** — {fit(view.group.name, 60)} · "
        f"{discord_timestamp(meeting.starts_at, 'F')} · {render_counts(view, t)}{link}"
    )


def render_attendees(title: str, attendees: Attendees, locale: object = None) -> discord.Embed:
    """Build the organizer's attendee list (mentions in embeds never ping)."""
    t = Translator(locale)
    embed = discord.Embed(title=fit(t(_("Attendees: {title}"), title=title), EMBED_TITLE_LIMIT))
    sections = (
        (_("Going"), attendees.going),
        (_("Maybe"), attendees.maybe),
        (_("Waitlist"), attendees.waitlist),
        (_("Not going"), attendees.not_going),
    )
    for name, users in sections:
        listed = " ".join(f"<@{user}>" for user in users) or "—"
        embed.add_field(
            name=f"{t(name)} ({len(users)})", value=fit(listed, EMBED_FIELD_VALUE_LIMIT),
            inline=False,
        )
    return embed


def attendees_csv(attendees: Attendees) -> bytes:
    """Write the attendee list as CSV: status, user id, place in that list."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["status", "user_id", "order"])
    for status, users in (
        (RsvpStatus.GOING, attendees.going),
        (RsvpStatus.MAYBE, attendees.maybe),
        (RsvpStatus.WAITLIST, attendees.waitlist),
        (RsvpStatus.NOT_GOING, attendees.not_going),
    ):
        for order, user in enumerate(users, start=1):
            writer.writerow([spreadsheet_cell(cell) for cell in (status.value, user, order)])
    return buffer.getvalue().encode("utf-8")
