"""Check-ins with quiet groups: the periodic job that plans, claims and sends them.

db/checkins is the ledger (planned once, claimed once across processes); the job only
wakes it up. Organizers get a DM with three buttons, else a mention in the group channel.
"""

from __future__ import annotations

import logging
import uuid
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import discord
from discord.ext import commands

from bot.mentions import mention, only_users
from cogs.checkins._buttons import answer_view
from cogs.checkins._render import question
from core.i18n import Translator
from db.checkins import ClaimedCheckin, claim_due_checkins, mark_checkin_sent, plan_checkins

if TYPE_CHECKING:
    from bot.app import GugBot
from bot.languages import guild_locale

log = logging.getLogger("gugbot.checkins")

# Quiet is measured in days: looking once an hour is plenty.
SWEEP_INTERVAL = timedelta(hours=1)
# Long enough to DM every organizer of a claimed batch.
LEASE = timedelta(minutes=10)
SWEEP_JOB = "checkins:sweep"
JOB_OPTIONS: dict[str, Any] = {"coalesce": True, "max_instances": 1}


class Checkins(commands.Cog):
    """Asks quiet groups how they are doing."""

    def __init__(self, bot: GugBot) -> None:
        self.bot = bot
        self.token = f"checkins-{uuid.uuid4().hex}"

    async def cog_load(self) -> None:
        """Install the periodic sweep."""
        self.bot.scheduler.add_job(
            self.sweep,
            "interval",
            seconds=SWEEP_INTERVAL.total_seconds(),
            id=SWEEP_JOB,
            replace_existing=True,
            **JOB_OPTIONS,
        )

    async def cog_unload(self) -> None:
        """Remove the sweep."""
        if self.bot.scheduler.get_job(SWEEP_JOB) is not None:
            self.bot.scheduler.remove_job(SWEEP_JOB)

    async def sweep(self) -> int:
        """Plan check-ins for quiet groups of this process's servers, send the due ones."""
        settings = self.bot.settings.groups
        now = self.bot.clock.now()
        await plan_checkins(
            self.bot.db,
            now=now,
            dormant_after_days=settings.dormant_after_days,
            interval_days=settings.checkin_interval_days,
            guild_ids=[guild.id for guild in self.bot.guilds],
        )
        claims = await claim_due_checkins(self.bot.db, token=self.token, now=now, lease=LEASE)
        for claim in claims:
            await self._send(claim)
        return len(claims)

    async def _send(self, claim: ClaimedCheckin) -> None:
        t = Translator(guild_locale(self.bot, claim.guild_id))
        text = question(t, claim.group_name)
        reached = False
        for organizer in claim.organizer_ids:
            view = answer_view(claim.id, t)
            reached = await self.bot.direct_messages.send_dm(organizer, text, view=view) or reached
        if not reached and claim.channel_id:
            mentions = " ".join(mention(user) for user in claim.organizer_ids)
            try:
                await self.bot.get_partial_messageable(claim.channel_id).send(
                    f"{mentions} {text}",
                    view=answer_view(claim.id, t),
                    allowed_mentions=only_users(list(claim.organizer_ids)),
                )
            except discord.HTTPException as error:
                log.warning("check-in %s could not be posted: %s", claim.id, error)
        await mark_checkin_sent(self.bot.db, claim, now=self.bot.clock.now())
