"""Recaps: what happened at a meeting, posted in the group's channel and the highlights.

Running /meeting recap again edits the messages posted before (their ids are kept with
the recap); a message that was deleted is posted again.
"""

from __future__ import annotations

import logging
import re

import discord

from bot.limits import EMBED_DESCRIPTION_LIMIT, EMBED_FIELD_VALUE_LIMIT, EMBED_TITLE_LIMIT
from bot.timefmt import discord_timestamp
from core.errors import InvalidInput
from core.i18n import Translator, _
from core.text import fit
from db.engine import Database
from db.recaps import Recap, set_recap_messages

log = logging.getLogger("gugbot.meetings.recap")

RECAP_COLOUR = discord.Colour.gold()
MAX_LINKS = 5
# Room left in the embed (6,000 in all) after the notes, talks and attendance.
NOTES_LIMIT = 3000


def read_links(text: str, url_limit: int) -> list[str]:
    """Split links typed one after another; each must be http(s), at most ``MAX_LINKS``."""
    links = [link for link in re.split(r"[\s,]+", text) if link]
    if len(links) > MAX_LINKS:
        raise InvalidInput(_("A recap holds at most {most} links."), most=MAX_LINKS)
    for link in links:
        if not re.match(r"https?://[^/\s]+", link) or len(link) > url_limit:
            raise InvalidInput(_("Links must start with http:// or https://."))
    return links


def render_recap(recap: Recap, locale: object = None) -> discord.Embed:
    """Build the recap's embed."""
    t = Translator(locale)
    embed = discord.Embed(
        title=fit(t(_("Recap: {title}"), title=recap.meeting_title), EMBED_TITLE_LIMIT),
        description=fit(recap.notes, EMBED_DESCRIPTION_LIMIT),
        colour=RECAP_COLOUR,
    )
    embed.set_author(name=fit(recap.group_name, EMBED_TITLE_LIMIT))
    embed.add_field(name=t(_("When")), value=discord_timestamp(recap.starts_at, "D"))
    embed.add_field(
        name=t(_("Attendance")),
        value=t(_("{came} checked in · {going} said going"),
                came=recap.checked_in, going=recap.going),
    )
    if recap.talks:
        lines = [f"• {talk.title} — <@{talk.speaker_id}>" for talk in recap.talks]
        embed.add_field(
            name=t(_("Talks")), value=fit("\n".join(lines), EMBED_FIELD_VALUE_LIMIT), inline=False
        )
    if recap.links:
        embed.add_field(
            name=t(_("Slides and recordings")),
            value=fit("\n".join(recap.links), EMBED_FIELD_VALUE_LIMIT),
            inline=False,
        )
    return embed


async def _post_or_edit(
    client: discord.Client, channel_id: int, message_id: int | None, embed: discord.Embed
) -> int | None:
    channel = client.get_partial_messageable(channel_id)
    if message_id is not None:
        try:
            await channel.get_partial_message(message_id).edit(embed=embed)
            return message_id
        except discord.NotFound:
            pass  # Deleted: post it again.
        except discord.HTTPException as error:
            log.warning("could not edit recap %s: %s", message_id, error)
            return message_id
    try:
        message = await channel.send(embed=embed)
    except discord.HTTPException as error:
        log.warning("could not post a recap in %s: %s", channel_id, error)
        return None
    return message.id


async def publish_recap(
    client: discord.Client, db: Database, recap: Recap, locale: object = None
) -> tuple[bool, bool]:
    """Post (or edit) the recap in the group's channel and the highlights channel.

    Return whether it is in each.
    """
    embed = render_recap(recap, locale)
    group_message = highlights_message = None
    if recap.group_channel_id is not None:
        group_message = await _post_or_edit(
            client, recap.group_channel_id, recap.group_message_id, embed
        )
    if recap.highlights_channel_id is not None:
        highlights_message = await _post_or_edit(
            client, recap.highlights_channel_id, recap.highlights_message_id, embed
        )
    await set_recap_messages(
        db, recap.meeting_id, group_message_id=group_message,
        highlights_message_id=highlights_message,
    )
    return group_message is not None, highlights_message is not None
