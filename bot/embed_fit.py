"""Make a rendered embed fit Discord's 6,000-character total, whatever its text."""

from __future__ import annotations

from collections.abc import Callable

import discord

from bot.limits import EMBED_TOTAL_LIMIT
from core.text import fit


def fit_embed(embed: discord.Embed, more: Callable[[int], str]) -> discord.Embed:
    """Drop trailing fields until ``embed`` fits, saying ``more(n)`` in the footer.

    Each field is already cut to its own limit; only together can they pass the total
    (20 long group names, a long reason on a full announcement). When fields alone do
    not make room, the description is cut.
    """
    dropped = 0
    while len(embed) > EMBED_TOTAL_LIMIT and embed.fields:
        embed.remove_field(len(embed.fields) - 1)
        dropped += 1
        embed.set_footer(text=more(dropped))
    excess = len(embed) - EMBED_TOTAL_LIMIT
    if excess > 0 and embed.description:
        embed.description = fit(embed.description, max(1, len(embed.description) - excess))
    return embed
