"""The demo's stage: the sandbox, the real bot, and a narrator that shows each act."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from bot.demo.transcript import Transcript
from bot.local_bot import LocalBot
from sandbox.driver import Sandbox
from sandbox.replies import Reply
from sandbox.world import Message

WAIT = 10.0  # seconds a step may wait for the bot to act (announcement edits, DMs...)


class StepFailed(Exception):
    """A step of the story did not produce what it should."""


@dataclass
class Stage:
    """What the story's steps act on, and what they remember for later steps."""

    sb: Sandbox
    local: LocalBot
    transcript: Transcript
    memory: dict[str, Any] = field(default_factory=dict)

    async def command(self, user: str, name: str, /, **options: Any) -> Reply:
        """Run a slash command as ``user``, show it and the bot's answer."""
        shown = " ".join(f"{key}:{value}" for key, value in options.items())
        self.transcript.action(user, f"/{name} {shown}".strip())
        reply = await self.sb.command(user, name, options=options, timeout=WAIT)
        self.show_reply(reply)
        return reply

    async def pick(
        self, user: str, name: str, option: str, typed: str, /, **options: Any
    ) -> str:
        """Type into an autocomplete option and take the first choice, as a user would."""
        choices = await self.sb.autocomplete(user, name, option, typed, options=options)
        if not choices:
            raise StepFailed(f"/{name} offered no choice for {option} “{typed}”")
        self.transcript.note(f"{option} autocompletes “{typed}” to “{choices[0]['name']}”")
        return str(choices[0]["value"])

    def show_reply(self, reply: Reply) -> None:
        """Print the bot's answer to an interaction (and its follow-ups)."""
        heading = "gugbot (only you can see this)" if reply.ephemeral else "gugbot"
        self.transcript.message(
            heading, reply.content, reply.embeds,
            attachments=[file.filename for file in reply.attachments],
        )
        for followup in reply.followups:
            self.show_reply(followup)

    def show_message(self, heading: str, message: Message) -> None:
        """Print a message the bot posted in a channel or a DM."""
        self.transcript.message(
            heading, message.content, message.embeds,
            attachments=[attachment.filename for attachment in message.attachments],
        )

    def require(self, condition: bool, failure: str) -> None:
        """Fail the step with ``failure`` unless ``condition`` holds."""
        if not condition:
            raise StepFailed(failure)

    async def until(
        self, condition: Callable[[], bool], failure: str, within: float = WAIT
    ) -> None:
        """Wait for ``condition``; fail the step with ``failure`` if it never holds."""
        try:
            await self.sb.wait_for(condition, timeout=within)
        except TimeoutError:
            raise StepFailed(failure) from None

    def names(self, kind: str, ident: int) -> str | None:
        """Name a user, role or channel for the transcript."""
        world = self.sb.world
        try:
            if kind == "user":
                return world.user(ident).username
            if kind == "role":
                return world.role(ident).name
            return world.channel(ident).name
        except KeyError:
            return None


@dataclass(frozen=True)
class Step:
    """One beat of the story: a title, what happens, and what must come of it."""

    title: str
    play: Callable[[Stage], Awaitable[None]]


def channel_named(stage: Stage, name: str) -> int | None:
    """Return the id of the guild channel called ``name``, if there is one."""
    try:
        return stage.sb.world.channel(name).id
    except KeyError:
        return None


def embeds_text(embeds: Sequence[Mapping[str, Any]]) -> str:
    """Flatten embeds into text for checks."""
    parts: list[str] = []
    for embed in embeds:
        parts += [str(embed.get("title") or ""), str(embed.get("description") or "")]
        for item in embed.get("fields") or []:
            parts += [str(item.get("name") or ""), str(item.get("value") or "")]
    return "\n".join(parts)
