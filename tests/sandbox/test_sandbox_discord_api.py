"""bot.discord_api: point discord.py at a base URL, then restore."""

import discord
import yarl

from bot.discord_api import gateway_url, point_discord_at


def test_point_and_restore():
    before = (discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY)
    restore = point_discord_at("http://127.0.0.1:9999/")
    assert discord.http.Route.BASE == "http://127.0.0.1:9999/api/v10"
    assert discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY == yarl.URL(
        "ws://127.0.0.1:9999/gateway")
    restore()
    assert (discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY) == before


def test_gateway_url_uses_wss_for_https():
    assert gateway_url("https://example.test") == "wss://example.test/gateway"
