"""Drive the real bot through the sandbox with generated values and check the invariants.

One bot and one sandbox serve every example (starting them costs seconds). After each
example: every interaction was answered, no user input got the generic apology, Discord
(the sandbox) accepted every request the bot made, nobody was pinged, no row points
at a row that is gone, the group card shows as many members as are stored, and the
meeting to answer (a group of its own) shows as many answers as are stored.
"""

from __future__ import annotations

import contextlib
from collections import Counter
from dataclasses import dataclass, field
from itertools import takewhile
from typing import Any

from hypothesis import strategies as st
from sqlalchemy import exists, func, select

from cogs.meetings._embeds import render_counts
from core.i18n import Translator
from db.base import Base
from db.engine import Database
from db.meetings import meeting_view
from db.models import Group, MeetingStatus, Membership, Rsvp
from sandbox.entities import CATEGORY, TEXT
from sandbox.replies import Reply
from sandbox.world import Message, World
from tests.fuzz.strategies import Ids, any_text, value_for
from tests.support.gug import Gug

ACTORS = ["admin", "coord", "alice", "bob"]
REACTORS = [*ACTORS, "carol", "dave", "erin"]
# The three answers, a reaction that is none of them, and a custom emoji of no server.
EMOJIS = ["✅", "❔", "❌", "👍", "gug:123456789012345678"]
COORDINATORS = {"admin", "coord"}
TIMEOUT = 10.0
APOLOGY_MARKERS = ("error id", "id del error")
JSON = dict[str, Any]

# Examples run, by what they drove ("/meeting create", "autocomplete meeting create when").
RUN: Counter[str] = Counter()


@dataclass
class Mark:
    """Where the world stood before an example: what came after is the example's doing."""

    calls: int
    last_message: int  # the newest message's id: snowflakes grow, so later ones are new


def new_messages(world: World, since: int) -> list[Message]:
    """The messages posted after message ``since``, oldest first.

    The store keeps messages in the order they were posted, so this reads only the new
    ones from its end: a long run's store holds tens of thousands.
    """
    ids = takewhile(lambda message_id: message_id > since, reversed(world.messages))
    return [world.messages[message_id] for message_id in ids][::-1]


@dataclass
class Fuzz:
    """The shared bot, the ids worth trying, and the synced command definitions."""

    gug: Gug
    ids: Ids
    # Messages that had buttons when last looked at, oldest first; stale ones are dropped
    # when drawn. Kept as examples go, so that choosing one never scans the whole store.
    with_buttons: list[int] = field(default_factory=list)
    looked_up_to: int = 0  # the newest message looked at for buttons

    def commands(self) -> dict[str, list[JSON]]:
        """Every synced slash command path ("group edit") with its options."""
        world = self.gug.sb.world
        found: dict[str, list[JSON]] = {}

        def walk(path: str, options: list[JSON]) -> None:
            subs = [o for o in options if o["type"] in (1, 2)]
            if not subs:
                found[path] = options
            for sub in subs:
                walk(f"{path} {sub['name']}", sub.get("options") or [])

        for command in world.guild_commands.get(world.guild.id, []) + world.global_commands:
            if command.get("type", 1) == 1:
                walk(command["name"], command.get("options") or [])
        return found

    def refs(self, option: JSON) -> list[Any]:
        """The users, roles or channels an option of that type may name."""
        world = self.gug.sb.world
        guild = world.guild
        if option["type"] == 6:
            return [*ACTORS, "carol", world.bot.id]
        if option["type"] == 8:
            return [role.id for role in guild.roles.values()]
        allowed = option.get("channel_types") or [TEXT, CATEGORY]
        return [cid for cid in guild.channel_ids if world.channels[cid].type in allowed]

    def values(self, data: st.DataObject, options: list[JSON]) -> dict[str, Any]:
        """Draw every required option and some optional ones."""
        chosen: dict[str, Any] = {}
        for option in options:
            if option.get("required") or data.draw(st.booleans(), label=f"with {option['name']}"):
                strategy = value_for(option, self.ids, self.refs(option))
                chosen[option["name"]] = data.draw(strategy, label=option["name"])
        return chosen

    def mark(self) -> Mark:
        """Remember the world before an example."""
        sb = self.gug.sb
        return Mark(len(sb.calls), next(reversed(sb.world.messages), 0))

    async def command(self, data: st.DataObject, path: str, options: list[JSON]) -> None:
        """Run one command with drawn values, maybe press a button it posted, then check."""
        sb = self.gug.sb
        before = self.mark()
        user = data.draw(st.sampled_from(ACTORS), label="user")
        values = self.values(data, options)
        replies = [await sb.command(user, path, options=values, timeout=TIMEOUT)]
        RUN[f"/{path}"] += 1
        replies += await self.press_something(data, before)
        await self.react_something(data)
        await self.check(before, replies)

    async def autocomplete(self, data: st.DataObject, path: str, options: list[JSON],
                           focused: JSON) -> None:
        """Type a drawn value into an autocomplete option, then check."""
        sb = self.gug.sb
        before = self.mark()
        user = data.draw(st.sampled_from(ACTORS), label="user")
        others = self.values(data, [o for o in options if o is not focused and o.get("required")])
        typed = data.draw(value_for(focused, self.ids, []), label="typed")
        choices = await sb.autocomplete(user, path, focused["name"], str(typed), options=others,
                                        timeout=TIMEOUT)
        RUN[f"autocomplete /{path} {focused['name']}"] += 1
        if focused["name"] == "group" and user not in COORDINATORS:
            pending = await pending_group_ids(self.gug.db)
            shown = [c for c in choices if int(c["value"]) in pending]
            assert shown == [], f"/{path} showed proposals to {user}, who may not review them"
        await self.check(before, [])

    async def press_something(self, data: st.DataObject, before: Mark) -> list[Reply]:
        """Press a button (on a message this example posted, or any), fill any modal it opens.

        Everything is drawn before looking at the world, which changes between examples:
        Hypothesis must see the same draws when it replays an example.
        """
        press = data.draw(st.booleans(), label="press a button")
        pick = data.draw(st.integers(0, 2**16), label="which button")
        user = data.draw(st.sampled_from(ACTORS), label="presser")
        texts = data.draw(st.lists(any_text(), min_size=5, max_size=5), label="modal values")
        sb = self.gug.sb
        fresh = [m for m in new_messages(sb.world, self.looked_up_to) if _pressable(m)]
        self.looked_up_to = next(reversed(sb.world.messages), self.looked_up_to)
        self.with_buttons += [m.id for m in fresh]
        posted = [m.id for m in fresh if m.id > before.last_message]
        chosen = self.choose_button(posted, pick) or self.choose_button(self.with_buttons, pick)
        if not press or chosen is None:
            return []
        message, custom_id = chosen
        # Only its reader sees an ephemeral message, so only they can press its buttons.
        presser = sb.viewer_of(message.id, sb.user(user).id)
        pressed = await sb.press_button(presser, message.id, custom_id, timeout=TIMEOUT)
        RUN[f"button {_kind(custom_id)}"] += 1
        if pressed.modal is None:
            return [pressed]
        inputs = _inputs(pressed.modal.get("components") or [])
        values = {item["custom_id"]: text[: int(item.get("max_length") or 4000)]
                  for item, text in zip(inputs, texts, strict=False)}
        submitted = await sb.submit_modal(presser, pressed, values, timeout=TIMEOUT)
        RUN[f"modal {_kind(pressed.modal['custom_id'])}"] += 1
        return [pressed, submitted]

    def choose_button(self, message_ids: list[int], pick: int) -> tuple[Message, str] | None:
        """The ``pick``-th button among the messages ``message_ids`` names, and its message.

        Messages deleted or left without buttons since are dropped from the list.
        """
        messages = self.gug.sb.world.messages
        while message_ids:
            count = len(message_ids)
            message = messages.get(message_ids[pick % count])
            if message is not None and _pressable(message):
                buttons = _buttons(message.components)
                return message, buttons[pick // count % len(buttons)]
            del message_ids[pick % count]
        return None

    async def react_something(self, data: st.DataObject) -> None:
        """Add or take back a few reactions on the announcement of the meeting to answer."""
        moves = data.draw(st.lists(st.tuples(st.sampled_from(REACTORS), st.sampled_from(EMOJIS),
                                             st.booleans()), max_size=4), label="reactions")
        message_id = await self.announcement_id()
        if message_id is None or self.gug.sb.world.messages[message_id].deleted:
            return
        for user, emoji, add in moves:
            if add:
                await self.gug.sb.react(user, message_id, emoji)
            else:
                await self.gug.sb.unreact(user, message_id, emoji)
            RUN["reaction"] += 1

    async def announcement_id(self) -> int | None:
        """The announcement of the meeting to answer, while that is not cancelled."""
        view = await meeting_view(self.gug.db, self.ids.answered)
        if view is None or view.meeting.status == MeetingStatus.CANCELLED:
            return None
        return view.meeting.announcement_message_id

    async def check(self, before: Mark, replies: list[Reply]) -> None:
        """Assert every invariant for what happened since ``before``."""
        sb = self.gug.sb
        rejected = [(c.method, c.path, c.status, c.json) for c in sb.calls[before.calls:]
                    if c.status >= 400]
        assert rejected == [], f"the sandbox (Discord) refused the bot: {rejected}"
        for reply in replies:
            texts = [reply.text, *(followup.text for followup in reply.followups)]
            assert not any(marker in text.lower() for text in texts
                           for marker in APOLOGY_MARKERS), f"generic apology: {texts}"
        # Only the bot's notices ping, and only people who answered a meeting (a cancellation).
        answered = await answered_user_ids(self.gug.db)
        pinged = {m.id: m.pinged - answered for m in new_messages(sb.world, before.last_message)
                  if m.pinged - answered}
        assert pinged == {}, f"messages pinged people: {pinged}"
        assert await orphan_rows(self.gug.db) == {}
        await self.check_counts_shown()

    async def check_counts_shown(self) -> None:
        """The seeded group's card shows as many members as are stored."""
        group_id = self.ids.groups[0]
        card = await self.gug.sb.command("erin", "group info", group=str(group_id),
                                         timeout=TIMEOUT)
        shown = {f["name"]: f["value"] for embed in card.embeds for f in embed.get("fields", [])}
        if "Members" not in shown:
            return  # archived by an earlier example: the refusal was checked as any reply
        async with self.gug.db.read() as session:
            stored = await session.scalar(
                select(func.count()).select_from(Membership).where(Membership.group_id == group_id)
            )
        assert shown["Members"] == str(stored)
        await self.check_answers_shown()

    async def check_answers_shown(self) -> None:
        """The announcement of the meeting to answer comes to show the answers stored."""
        message_id = await self.announcement_id()
        if message_id is None or self.gug.sb.world.messages[message_id].deleted:
            return
        await self.gug.sb.command("erin", "about")  # travels after the reactions
        await self.gug.bot.get_cog("Rsvp").idle()  # type: ignore[union-attr]
        view = await meeting_view(self.gug.db, self.ids.answered)
        assert view is not None
        stored = render_counts(view, Translator(None))

        def shown() -> str:
            fields = self.gug.sb.world.messages[message_id].embeds[0].get("fields") or []
            return next((f["value"] for f in fields if f["name"] == "RSVP"), "")

        with contextlib.suppress(TimeoutError):
            await self.gug.sb.wait_for(lambda: shown() == stored, timeout=TIMEOUT)
        assert shown() == stored, "the announcement shows other answers than are stored"


def _kind(custom_id: str) -> str:
    """Name a component by its custom_id's first two parts ("gug:approve:12" → gug:approve)."""
    return ":".join(custom_id.split(":")[:2])


def _pressable(message: Message) -> bool:
    return not message.deleted and bool(_buttons(message.components))


def _buttons(components: list[JSON]) -> list[str]:
    found: list[str] = []
    for row in components:
        for item in row.get("components") or []:
            if item.get("type") == 2 and item.get("custom_id") and not item.get("disabled"):
                found.append(item["custom_id"])
    return found


def _inputs(rows: list[JSON]) -> list[JSON]:
    found: list[JSON] = []
    for row in rows:
        if row.get("type") == 18:
            found.append(row["component"])
        found += [item for item in row.get("components") or [] if item.get("type") == 4]
    return found


async def pending_group_ids(db: Database) -> set[int]:
    """Return the ids of proposals waiting for review (only coordinators may see them)."""
    async with db.read() as session:
        return set(await session.scalars(select(Group.id).where(Group.status == "pending")))


async def answered_user_ids(db: Database) -> set[int]:
    """Return everyone with an answer stored to any meeting."""
    async with db.read() as session:
        return set(await session.scalars(select(Rsvp.user_id).distinct()))


async def orphan_rows(db: Database) -> dict[str, int]:
    """Count rows whose foreign key names a row that does not exist, per column."""
    found: dict[str, int] = {}
    async with db.read() as session:
        for table in Base.metadata.sorted_tables:
            for key in table.foreign_keys:
                child, parent = key.parent, key.column
                missing = await session.scalar(
                    select(func.count()).select_from(table).where(
                        child.is_not(None), ~exists().where(parent == child)
                    )
                )
                if missing:
                    found[f"{table.name}.{child.name}"] = missing
    return found
