"""Print the demo as a readable transcript: who did what, and what the bot answered."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from rich.console import Console, Group
from rich.panel import Panel
from rich.text import Text

USER_MENTION = re.compile(r"<@!?(\d+)>")
ROLE_MENTION = re.compile(r"<@&(\d+)>")
CHANNEL_MENTION = re.compile(r"<#(\d+)>")
TIMESTAMP = re.compile(r"<t:(-?\d+)(?::([tTdDfFR]))?>")


class Transcript:
    """Renders scenes, actions and the bot's messages; ids become names for the reader."""

    def __init__(self, console: Console, names: Callable[[str, int], str | None]) -> None:
        self.console = console
        self._names = names

    def readable(self, text: str) -> str:
        """Replace mentions and Discord timestamps with what a Discord client would show."""

        def user(match: re.Match[str]) -> str:
            return "@" + (self._names("user", int(match[1])) or match[1])

        def role(match: re.Match[str]) -> str:
            return "@" + (self._names("role", int(match[1])) or match[1])

        def channel(match: re.Match[str]) -> str:
            return "#" + (self._names("channel", int(match[1])) or match[1])

        def timestamp(match: re.Match[str]) -> str:
            moment = datetime.fromtimestamp(int(match[1]), UTC)
            if match[2] == "R":
                minutes = round((moment - datetime.now(UTC)).total_seconds() / 60)
                return f"in {minutes} min" if minutes >= 0 else f"{-minutes} min ago"
            return moment.strftime("%a %d %b %Y %H:%M UTC")

        for pattern, replace in (
            (USER_MENTION, user),
            (ROLE_MENTION, role),
            (CHANNEL_MENTION, channel),
            (TIMESTAMP, timestamp),
        ):
            text = pattern.sub(replace, text)
        return text

    def scene(self, title: str) -> None:
        """Open a new part of the story."""
        self.console.rule(f"[bold]{title}")

    def action(self, actor: str, what: str) -> None:
        """Say what a person did."""
        self.console.print(Text.assemble(("▶ ", "cyan"), (actor, "bold cyan"), f": {what}"))

    def note(self, text: str) -> None:
        """Add a narrator's remark."""
        self.console.print(Text(f"  {text}", style="dim"))

    def message(
        self,
        heading: str,
        content: str,
        embeds: Sequence[Mapping[str, Any]],
        *,
        attachments: list[str] | None = None,
    ) -> None:
        """Show a message the bot sent: its text, each embed as a panel, and attachments."""
        parts: list[Any] = []
        if content:
            parts.append(Text(self.readable(content)))
        for embed in embeds:
            parts.append(self._embed_panel(embed))
        for name in attachments or []:
            parts.append(Text(f"📎 {name}", style="magenta"))
        if not parts:
            parts.append(Text("(no content)", style="dim"))
        self.console.print(Panel(Group(*parts), title=heading, title_align="left", expand=False))

    def _embed_panel(self, embed: Mapping[str, Any]) -> Panel:
        lines: list[Text] = []
        if embed.get("description"):
            lines.append(Text(self.readable(str(embed["description"]))))
        for item in embed.get("fields") or []:
            lines.append(
                Text.assemble(
                    (f"{self.readable(str(item.get('name', '')))}: ", "bold"),
                    self.readable(str(item.get("value", ""))),
                )
            )
        footer = (embed.get("footer") or {}).get("text")
        if footer:
            lines.append(Text(self.readable(str(footer)), style="dim"))
        title = self.readable(str(embed.get("title") or ""))
        return Panel(Group(*lines) if lines else Text(""), title=title or None, expand=False)

    def outcome(self, ok: bool, text: str) -> None:
        """Report whether a step produced what it should."""
        mark, style = ("✔", "green") if ok else ("✘", "bold red")
        self.console.print(Text(f"{mark} {text}", style=style))
