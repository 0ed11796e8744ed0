"""What the bot answered to an interaction, as tests see it."""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from typing import Any

from sandbox.world import JSON, Interaction, Message, World


@dataclass
class File:
    """An attachment's name and bytes (e.g. a CSV the bot attached)."""

    filename: str
    data: bytes
    content_type: str | None = None

    def text(self, encoding: str = "utf-8") -> str:
        """Return the bytes decoded as text."""
        return self.data.decode(encoding)


@dataclass
class Reply:
    """The bot's final answer to an interaction (a snapshot taken when it arrived)."""

    content: str = ""
    embeds: list[JSON] = field(default_factory=list)
    ephemeral: bool = False
    components: list[JSON] = field(default_factory=list)
    attachments: list[File] = field(default_factory=list)
    message_id: int | None = None
    channel_id: int | None = None
    followups: list[Reply] = field(default_factory=list)
    choices: list[JSON] | None = None
    modal: JSON | None = None
    interaction_id: int | None = None
    response_type: int | None = None

    @property
    def text(self) -> str:
        """Return content plus every embed's title, description and fields, for assertions."""
        parts = [self.content]
        for embed in self.embeds:
            parts += [embed.get("title") or "", embed.get("description") or ""]
            for item in embed.get("fields") or []:
                parts += [item.get("name") or "", item.get("value") or ""]
            parts.append((embed.get("footer") or {}).get("text") or "")
        return "\n".join(p for p in parts if p)

    def custom_ids(self) -> list[str]:
        """Return the custom_ids of every component (buttons, selects) on the message."""
        found: list[str] = []

        def walk(items: list[JSON]) -> None:
            for item in items:
                if "custom_id" in item:
                    found.append(item["custom_id"])
                walk(item.get("components") or [])
                if isinstance(item.get("component"), dict):
                    walk([item["component"]])

        walk(self.components)
        return found

    def to_json(self) -> JSON:
        """Serialise for the control API (attachment bytes in base64)."""
        return {
            "content": self.content, "embeds": self.embeds, "ephemeral": self.ephemeral,
            "components": self.components,
            "attachments": [
                {"filename": f.filename, "content_type": f.content_type,
                 "data": base64.b64encode(f.data).decode()} for f in self.attachments
            ],
            "message_id": str(self.message_id) if self.message_id else None,
            "channel_id": str(self.channel_id) if self.channel_id else None,
            "followups": [f.to_json() for f in self.followups],
            "choices": self.choices, "modal": self.modal,
            "interaction_id": str(self.interaction_id) if self.interaction_id else None,
            "response_type": self.response_type,
        }

    @classmethod
    def from_json(cls, data: JSON) -> Reply:
        """Rebuild a Reply from `to_json` output."""
        def as_int(value: Any) -> int | None:
            return int(value) if value else None

        return cls(
            content=data["content"], embeds=data["embeds"], ephemeral=data["ephemeral"],
            components=data["components"],
            attachments=[File(a["filename"], base64.b64decode(a["data"]), a["content_type"])
                         for a in data["attachments"]],
            message_id=as_int(data["message_id"]), channel_id=as_int(data["channel_id"]),
            followups=[cls.from_json(f) for f in data["followups"]],
            choices=data["choices"], modal=data["modal"],
            interaction_id=as_int(data["interaction_id"]), response_type=data["response_type"],
        )


def reply_from_message(message: Message) -> Reply:
    """Snapshot one message as a Reply."""
    return Reply(
        content=message.content, embeds=list(message.embeds), ephemeral=message.ephemeral,
        components=list(message.components),
        attachments=[File(a.filename, a.data, a.content_type) for a in message.attachments],
        message_id=message.id, channel_id=message.channel_id,
    )


def reply_from_interaction(world: World, interaction: Interaction) -> Reply:
    """Snapshot what the bot answered: the message, choices or modal, plus follow-ups."""
    reply = Reply()
    main_id: int | None = None
    if interaction.response_type in (4, 6, 7):
        main_id = interaction.original_id
    elif interaction.response_type == 5:
        followups = interaction.followup_ids
        main_id = followups[0] if followups else interaction.original_id
    message = world.messages.get(main_id or 0)
    if message is not None:
        reply = reply_from_message(message)
    reply.followups = [
        reply_from_message(world.messages[m]) for m in interaction.followup_ids
        if m != main_id and m in world.messages
    ]
    reply.choices = interaction.choices
    reply.modal = interaction.modal
    reply.interaction_id = interaction.id
    reply.response_type = interaction.response_type
    return reply
