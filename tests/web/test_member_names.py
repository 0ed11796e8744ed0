"""Display names are remembered per server, the latest one winning."""

from __future__ import annotations

from datetime import UTC, datetime

from db.directory import group_details
from db.engine import Database
from db.member_names import record_display_name
from tests.web.seed import ORGANIZER, PRIVATE_GUILD, PUBLIC_GUILD, Network


async def test_the_latest_name_in_the_groups_server_is_shown(db: Database, network: Network) -> None:
    now = datetime.now(UTC)
    await record_display_name(db, PUBLIC_GUILD, ORGANIZER, "Olga O.", now)
    await record_display_name(db, PRIVATE_GUILD, ORGANIZER, "Name elsewhere", now)
    details = await group_details(db, network.rosario, now)
    assert details is not None
    assert details.organizers == ["Olga O."] and details.unnamed_organizers == 0


async def test_an_organizer_never_seen_is_counted_not_named(db: Database, network: Network) -> None:
    details = await group_details(db, network.sao_paulo, datetime.now(UTC))
    assert details is not None
    assert details.organizers == ["Olga Organizer"]
    async with db.transaction() as session:
        from db.models import Membership

        session.add(Membership(group_id=network.sao_paulo, user_id=99, is_organizer=True))
    details = await group_details(db, network.sao_paulo, datetime.now(UTC))
    assert details is not None and details.unnamed_organizers == 1
