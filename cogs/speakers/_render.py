"""How the speaker bank reads: found offers as an embed, one's own offers as lines."""

from __future__ import annotations

import discord

from bot.limits import EMBED_TITLE_LIMIT
from bot.mentions import mention
from bot.timefmt import discord_timestamp
from core.i18n import Translator, _
from core.text import fit
from db.speakers import FoundOffer, Offer

# Ten offers of (100 + 450) characters stay within the embed's 6,000 in all.
FIELD_NAME_BUDGET = 100
FIELD_VALUE_BUDGET = 450
DESCRIPTION_EXCERPT = 300
# A speaker's record shows the latest few talks and how many there were in all.
TALKS_SHOWN = 3
COLOUR = discord.Colour.teal()


def _speaker_lines(found: FoundOffer, t: Translator) -> list[str]:
    offer = found.offer
    lines = [mention(offer.user_id)]
    if found.home_groups:
        homes = ", ".join(f"{home.name} ({home.city})" for home in found.home_groups)
        lines.append(t(_("Groups: {groups}"), groups=homes))
    if offer.languages:
        lines.append(t(_("Languages: {languages}"), languages=offer.languages))
    lines.append(t(_("Presents remotely")) if offer.remote else t(_("Presents in person")))
    if found.talks_given:
        lines.append(t.plural("{n} talk given before:", "{n} talks given before:",
                              len(found.talks_given)))
        lines.extend(
            f"• {talk.title} — {talk.group_name}, {discord_timestamp(talk.starts_at, 'D')}"
            for talk in found.talks_given[:TALKS_SHOWN]
        )
    else:
        lines.append(t(_("No talks given here yet")))
    if offer.description:
        lines.append(f"> {fit(offer.description, DESCRIPTION_EXCERPT)}")
    return lines


def render_found(topic: str, found: list[FoundOffer], t: Translator) -> discord.Embed:
    """One field per offer, best match first, with what an organizer asks of a speaker."""
    embed = discord.Embed(
        title=fit(t(_("Talks about “{topic}”"), topic=topic), EMBED_TITLE_LIMIT), colour=COLOUR
    )
    for item in found:
        embed.add_field(
            name=fit(item.offer.topic, FIELD_NAME_BUDGET),
            value=fit("\n".join(_speaker_lines(item, t)), FIELD_VALUE_BUDGET),
            inline=False,
        )
    embed.set_footer(text=t(_("Invite one with /speaker invite.")))
    return embed


def render_own(offers: list[Offer], t: Translator) -> str:
    """List one's own open offers."""
    if not offers:
        return t(_("You offer no talks. Offer one with /speaker offer."))
    lines = [t(_("Your talk offers:"))]
    for offer in offers:
        details = [offer.languages] if offer.languages else []
        if offer.remote:
            details.append(t(_("remote")))
        suffix = f" ({', '.join(details)})" if details else ""
        lines.append(f"• **{offer.topic}**{suffix}")
    return "\n".join(lines)
