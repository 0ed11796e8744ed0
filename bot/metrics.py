"""The process's Prometheus metrics, served by the web site at /metrics.

The shell records command latency, errors by kind and the gateway's latency itself. The
RSVP writer and the reminders call the ``observe_*`` functions below where the work is
done, so each metric is defined once here and named the same everywhere.
"""

from __future__ import annotations

import re
from types import SimpleNamespace
from typing import TYPE_CHECKING

import aiohttp
import discord
from discord import app_commands
from prometheus_client import Counter, Gauge, Histogram

if TYPE_CHECKING:
    from bot.app import GugBot

# Discord wants an answer to an interaction within 3 s: buckets resolve around that.
INTERACTION_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0, 10.0)

COMMAND_LATENCY = Histogram(
    "gugbot_command_latency_seconds",
    "Time from an interaction's creation to its command finishing.",
    ["command"],
    buckets=INTERACTION_BUCKETS,
)
INTERACTION_ACK = Histogram(
    "gugbot_interaction_ack_seconds",
    "Time from an interaction's creation to its first response (Discord allows 3 s).",
    buckets=INTERACTION_BUCKETS,
)
RSVP_BATCH_SIZE = Histogram(
    "gugbot_rsvp_batch_size",
    "Reactions written in one RSVP group commit.",
    buckets=(1, 2, 5, 10, 20, 50, 100, 200, 500),
)
RSVP_COMMIT = Histogram(
    "gugbot_rsvp_commit_seconds",
    "Time one RSVP group commit took.",
    buckets=(0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0),
)
REMINDER_LATENESS = Histogram(
    "gugbot_reminder_lateness_seconds",
    "How long after its due time a reminder was delivered.",
    buckets=(0.1, 0.5, 1, 2, 5, 10, 30, 60, 300, 3600),
)
GATEWAY_LATENCY = Gauge(
    "gugbot_gateway_latency_seconds", "Discord gateway heartbeat latency (shard average)."
)
ERRORS = Counter(
    "gugbot_errors_total",
    "Errors met while serving interactions, by kind (user, permission, check, unexpected).",
    ["kind"],
)


def observe_command(command: str, seconds: float) -> None:
    """Record how long one command took from its interaction's creation."""
    COMMAND_LATENCY.labels(command=command).observe(max(0.0, seconds))


def observe_ack(seconds: float) -> None:
    """Record how long an interaction waited for its first response."""
    INTERACTION_ACK.observe(max(0.0, seconds))


def observe_rsvp_batch(size: int, commit_seconds: float) -> None:
    """Record one RSVP group commit: call it from the RSVP writer after each commit."""
    RSVP_BATCH_SIZE.observe(size)
    RSVP_COMMIT.observe(max(0.0, commit_seconds))


def observe_reminder_lateness(seconds: float) -> None:
    """Record a delivered reminder's lateness: call it from reminder delivery when sent."""
    REMINDER_LATENESS.observe(max(0.0, seconds))


# The one request that acknowledges an interaction, whatever the command does next.
_CALLBACK = re.compile(r"/interactions/(\d+)/[^/]+/callback$")


def ack_trace() -> aiohttp.TraceConfig:
    """Time every acknowledgement as it leaves, for the client's ``http_trace``.

    Replies, deferrals, modals and autocomplete all acknowledge through the callback
    request; the interaction's id is a snowflake, so it carries its own creation time.
    """

    async def on_request_end(
        session: aiohttp.ClientSession,
        context: SimpleNamespace,
        params: aiohttp.TraceRequestEndParams,
    ) -> None:
        match = _CALLBACK.search(params.url.path)
        if match and params.response.status < 400:
            created = discord.utils.snowflake_time(int(match[1]))
            observe_ack((discord.utils.utcnow() - created).total_seconds())

    trace = aiohttp.TraceConfig()
    trace.on_request_end.append(on_request_end)
    return trace


def count_error(kind: str) -> None:
    """Count one error of ``kind`` (user, permission, check or unexpected)."""
    ERRORS.labels(kind=kind).inc()


def _latency(bot: GugBot) -> float:
    latency = bot.latency
    # discord.py reports inf before the first heartbeat; Prometheus would keep it forever.
    return latency if latency == latency and latency != float("inf") else 0.0


def watch_gateway(bot: GugBot) -> None:
    """Read the gateway's latency from ``bot`` on every scrape, and time its commands."""
    GATEWAY_LATENCY.set_function(lambda: _latency(bot))

    async def on_app_command_completion(
        interaction: discord.Interaction,
        command: app_commands.Command | app_commands.ContextMenu,  # type: ignore[type-arg]  # any cog
    ) -> None:
        elapsed = (discord.utils.utcnow() - interaction.created_at).total_seconds()
        observe_command(command.qualified_name, elapsed)

    bot.add_listener(on_app_command_completion, "on_app_command_completion")
