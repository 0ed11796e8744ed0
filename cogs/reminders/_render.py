"""Write a reminder message and split its mentions across messages Discord accepts."""

from __future__ import annotations

from collections.abc import Sequence

from bot.limits import MESSAGE_LIMIT, NONCE_LIMIT
from bot.mentions import MENTIONS_PER_MESSAGE, mention
from bot.timefmt import discord_timestamp
from core.formats import local_datetime
from core.i18n import Translator, _
from core.text import fit
from db.reminders import ClaimedReminder


def render_reminder(claim: ClaimedReminder, locale: object = None) -> str:
    """Write the reminder in ``locale``: title, start, local time, venue or link, late note."""
    t = Translator(locale)
    lines = [
        t(
            _("⏰ Reminder: **{title}** starts {relative} ({full})."),
            title=fit(claim.title, 200),
            relative=discord_timestamp(claim.starts_at, "R"),
            full=discord_timestamp(claim.starts_at, "F"),
        ),
        t(_("Local time: {local}"), local=local_datetime(claim.starts_at, claim.timezone, locale)),
    ]
    if claim.venue:
        lines.append(t(_("📍 {venue}"), venue=fit(claim.venue, 300)))
    if claim.online_url:
        lines.append(t(_("🔗 {url}"), url=claim.online_url))
    if claim.late:
        lines.append(
            t(_("(Sent late: the bot was offline when this reminder was due. Sorry!)"))
        )
    return "\n".join(lines)


def channel_messages(text: str, user_ids: Sequence[int]) -> list[tuple[str, list[int]]]:
    """Split the channel post into messages of at most 90 mentions and 2,000 characters.

    The first message carries the text and as many mentions as fit; the rest only mentions.
    """
    messages: list[tuple[str, list[int]]] = []
    lines: list[str] = [text]
    users: list[int] = []
    length = len(text)
    for user_id in dict.fromkeys(user_ids):
        piece = mention(user_id)
        if len(users) >= MENTIONS_PER_MESSAGE or length + 1 + len(piece) > MESSAGE_LIMIT:
            messages.append((" ".join(lines), users))
            lines, users, length = [], [], -1
        lines.append(piece)
        users.append(user_id)
        length += 1 + len(piece)
    messages.append((" ".join(lines), users))
    return messages


def reminder_nonce(claim: ClaimedReminder, place: str) -> str:
    """Derive a stable nonce from the reminder, its planned time and the place/part.

    The planned time is part of it so a meeting moved after a send gets a new post.
    """
    nonce = f"r{claim.id:x}.{place}.{int(claim.due_at.timestamp()):x}"
    assert len(nonce) <= NONCE_LIMIT, nonce
    return nonce
