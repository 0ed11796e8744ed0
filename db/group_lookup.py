"""Find one group from what a user typed or picked in an autocomplete list.

Autocomplete answers with the group id as the value; a user may also type a name.
Both are re-validated here, because a client can send any string; a value that names no
single group is refused with a ``NotFound`` that says why.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Select, select

from core.errors import NotFound
from core.i18n import _
from core.ids import row_id
from core.text import fit, fold
from db.engine import Database
from db.models import Group, GroupStatus, Membership

AUTOCOMPLETE_LIMIT = 25  # Discord shows at most 25 choices.
TYPED_ECHO_LIMIT = 80  # How much of a typed value a refusal repeats.
CANDIDATES_SHOWN = 5


# The former name of the lookup's refusal; cogs/meetings still catches it by this name.


def _no_single_group(typed: str, candidates: Sequence[str] = ()) -> NotFound:
    """Refuse a value that names no group, or several (then list the first few)."""
    if candidates:
        return NotFound(
            _("“{typed}” matches several groups: {names}. Pick one from the list."),
            typed=fit(typed, TYPED_ECHO_LIMIT),
            names=", ".join(candidates[:CANDIDATES_SHOWN]),
        )
    return NotFound(
        _("No group called “{typed}” here. Try /group list or pick one from the list."),
        typed=fit(typed, TYPED_ECHO_LIMIT),
    )


def _scoped(guild_id: int, statuses: Sequence[str]) -> Select[Group]:
    return select(Group).where(Group.guild_id == guild_id, Group.status.in_(list(statuses)))


async def resolve_group(
    db: Database,
    guild_id: int,
    value: str,
    *,
    statuses: Sequence[str] = (GroupStatus.ACTIVE,),
) -> Group:
    """Return the group whose id (from autocomplete) or unambiguous name is ``value``."""
    text = value.strip()
    async with db.read() as session:
        if (typed_id := row_id(text)) is not None:
            group = await session.scalar(_scoped(guild_id, statuses).where(Group.id == typed_id))
            if group is not None:
                return group
        key = fold(text)
        if not key:
            raise _no_single_group(value)
        same_name = _scoped(guild_id, statuses).where(Group.name_key == key)
        exact = (await session.scalars(same_name)).all()
        if len(exact) == 1:
            return exact[0]
        partial = (
            await session.scalars(
                _scoped(guild_id, statuses)
                .where(Group.name_key.contains(key, autoescape=True))
                .order_by(Group.name)
                .limit(AUTOCOMPLETE_LIMIT)
            )
        ).all()
    if len(partial) == 1:
        return partial[0]
    raise _no_single_group(value, [group.name for group in partial])


async def group_choices(
    db: Database,
    guild_id: int,
    typed: str,
    *,
    statuses: Sequence[str] = (GroupStatus.ACTIVE,),
    organizer_id: int | None = None,
) -> list[tuple[int, str]]:
    """Return up to 25 (id, label) pairs whose name contains what was typed."""
    query = _scoped(guild_id, statuses)
    key = fold(typed)
    if key:
        query = query.where(Group.name_key.contains(key, autoescape=True))
    if organizer_id is not None:
        query = query.join(Membership, Membership.group_id == Group.id).where(
            Membership.user_id == organizer_id, Membership.is_organizer.is_(True)
        )
    query = query.order_by(Group.name).limit(AUTOCOMPLETE_LIMIT)
    async with db.read() as session:
        groups = (await session.scalars(query)).all()
    return [(group.id, f"{group.name} — {group.city}, {group.country}") for group in groups]
