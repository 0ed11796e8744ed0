"""/setup directory's invite link is a Discord invite or a clear refusal."""

from __future__ import annotations

import pytest

from cogs.setup import read_invite_url
from core.errors import InvalidInput


@pytest.mark.parametrize("url", ["https://discord.gg/gugnet", " https://discord.com/invite/abc "])
def test_discord_invites_are_accepted(url: str) -> None:
    assert read_invite_url(url) == url.strip()


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", "http://discord.gg/x", "https://evil.example/discord.gg", "https://discord.gg/", "https://discord.gg/" + "x" * 300],
)
def test_anything_else_is_refused(url: str) -> None:
    with pytest.raises(InvalidInput):
        read_invite_url(url)
