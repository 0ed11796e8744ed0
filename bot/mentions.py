"""Ping exactly the people we mean, in chunks Discord accepts."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import discord

# Discord caps allowed_mentions.users at 100 per message; 90 leaves room for the text.
MENTIONS_PER_MESSAGE = 90


def mention(user_id: int) -> str:
    """Write a user mention."""
    return f"<@{user_id}>"


def chunk_users(user_ids: Iterable[int], size: int = MENTIONS_PER_MESSAGE) -> Iterator[list[int]]:
    """Split users into lists of at most ``size``, keeping their order, without repeats."""
    unique = list(dict.fromkeys(user_ids))
    for start in range(0, len(unique), size):
        yield unique[start : start + size]


def only_users(user_ids: Iterable[int]) -> discord.AllowedMentions:
    """Allow pinging exactly these users: no @everyone, @here, roles or anyone else."""
    return discord.AllowedMentions(
        everyone=False,
        roles=False,
        replied_user=False,
        users=[discord.Object(id=user_id) for user_id in user_ids],
    )
