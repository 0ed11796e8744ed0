"""The check-in's answer buttons and the coordinators' Archive confirmation.

``DynamicItem``s: a check-in sent before a restart can still be answered after it.
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, Any, Self

import discord

from bot.buttons import PrivateReplyButton, button_row
from bot.permissions import actor_for, require_coordinator
from cogs.checkins._render import answer_label, coordinators_post
from core.i18n import Translator, _
from db.checkins import record_checkin_answer
from db.group_directory import group_by_id
from db.groups import Actor, archive_group
from db.guild_settings import load_guild_settings
from db.models import CheckinAnswer

if TYPE_CHECKING:
    from bot.app import GugBot
from bot.languages import guild_locale

log = logging.getLogger("gugbot.checkins")

STYLES = {
    CheckinAnswer.ACTIVE: discord.ButtonStyle.success,
    CheckinAnswer.NEED_HELP: discord.ButtonStyle.primary,
    CheckinAnswer.PLEASE_ARCHIVE: discord.ButtonStyle.danger,
}


def answer_view(checkin_id: int, t: Translator) -> discord.ui.View:
    """Build the three answer buttons of one check-in."""
    return button_row(*(
        discord.ui.Button(
            label=answer_label(t, answer),
            style=style,
            custom_id=f"gug:checkin:{answer.value}:{checkin_id}",
        )
        for answer, style in STYLES.items()
    ))


def archive_view(group_id: int, t: Translator) -> discord.ui.View:
    """Build the coordinators' Archive button for a group that asked for it."""
    return button_row(
        discord.ui.Button(
            label=t(_("Archive it")),
            style=discord.ButtonStyle.danger,
            custom_id=f"gug:checkin-archive:{group_id}",
        )
    )


class _Button(PrivateReplyButton, template=r"(?!)"):
    """A button rebuilt from its custom_id that answers failures like commands do."""

    def __init__(self, custom_id: str, match: re.Match[str]) -> None:
        super().__init__(discord.ui.Button(custom_id=custom_id))
        self.match = match

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> Self:
        """Rebuild the button from its custom_id."""
        return cls(match.string, match)


class AnswerButton(
    _Button, template=r"gug:checkin:(?P<answer>active|need_help|please_archive):(?P<id>\d+)"
):
    """An organizer's answer to a check-in."""

    async def answer(self, interaction: discord.Interaction[GugBot]) -> str:
        """Record the answer; tell the coordinators of help or archive requests."""
        bot = interaction.client
        t = Translator(interaction.locale)
        actor = (
            await actor_for(bot.db, interaction)
            if interaction.guild_id is not None
            else Actor(user_id=interaction.user.id)
        )
        answered = await record_checkin_answer(
            bot.db,
            checkin_id=int(self.match["id"]),
            answer=CheckinAnswer(self.match["answer"]),
            by=actor,
            now=bot.clock.now(),
        )
        reply = t(_("Thanks! Your answer: {answer}."), answer=answer_label(t, answered.answer))
        if answered.tell_coordinators:
            settings = await load_guild_settings(bot.db, answered.guild_id)
            shared = Translator(guild_locale(bot, answered.guild_id))
            text = coordinators_post(
                shared, answered.group_name, answered.answered_by, answered.answer
            )
            view = (
                archive_view(answered.group_id, shared)
                if answered.answer == CheckinAnswer.PLEASE_ARCHIVE
                else discord.utils.MISSING
            )
            if settings.coordinator_channel_id:
                try:
                    await bot.get_partial_messageable(settings.coordinator_channel_id).send(
                        text, view=view, allowed_mentions=discord.AllowedMentions.none()
                    )
                except discord.HTTPException as error:
                    log.warning("could not tell the coordinators: %s", error)
            reply += " " + t(_("The coordinators were told."))
        return reply


class ArchiveButton(_Button, template=r"gug:checkin-archive:(?P<id>\d+)"):
    """A coordinator's confirmation of a group's request to be archived."""

    async def answer(self, interaction: discord.Interaction[GugBot]) -> str:
        """Archive the group, as /coord archive does."""
        bot = interaction.client
        t = Translator(interaction.locale)
        actor = await require_coordinator(bot.db, interaction)
        group = await group_by_id(bot.db, int(self.match["id"]))
        archived = await archive_group(
            bot.db,
            guild_id=interaction.guild_id or 0,
            group_id=group.id if group is not None else 0,
            actor=actor,
            reason=t(_("Its organizers asked for it in a check-in.")),
            now=bot.clock.now(),
        )
        if interaction.message is not None:
            try:
                await interaction.message.edit(view=None)
            except discord.HTTPException as error:
                log.info("could not drop the Archive button: %s", error)
        return t(_("Archived “{name}”; it no longer shows in /findgroup."), name=archived.name)
