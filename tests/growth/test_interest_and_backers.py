"""Growth end to end: people waiting for Rosario, a proposal backed, an approval told."""

from __future__ import annotations

from sandbox.replies import Reply
from tests.support.group_steps import configure, proposal_message, propose
from tests.support.gug import Gug


def button(reply_or_ids: Reply | list[str], fragment: str) -> str:
    ids = reply_or_ids if isinstance(reply_or_ids, list) else reply_or_ids.custom_ids()
    return next(cid for cid in ids if fragment in cid)


def field(gug: Gug, message: object, name: str) -> str:
    for embed in gug.sb.snapshot(message).embeds:
        for item in embed.get("fields") or []:
            if item["name"] == name:
                return str(item["value"])
    return ""


async def test_two_members_wait_a_proposal_is_backed_and_approval_tells_them(gug: Gug) -> None:
    sb = gug.sb
    await configure(gug)
    await sb.command("admin", "setup min-backers", count=1)

    found = await sb.command("bob", "findgroup", place="Rosario, Argentina")
    assert "within 50 km of Rosario, Argentina: 0" in found.text
    notify = await sb.press_button("bob", found, button(found, "gug:notify:"))
    assert "told when a group starts near Rosario" in notify.text
    added = await sb.command("carol", "interest add", place="Rosario, Argentina")
    assert "Rosario" in added.text
    listed = await sb.command("carol", "interest list")
    assert "Rosario, Argentina" in listed.text
    counted = await sb.command("dave", "findgroup", place="Rosario")
    assert "within 50 km of Rosario, Argentina: 2" in counted.text
    assert "bob" not in counted.text and str(sb.user("bob").id) not in counted.text

    demand = await sb.command("coord", "coord demand")
    assert "Rosario, AR: 2 waiting" in demand.text
    [csv_file] = demand.attachments
    assert b"Rosario,AR" in csv_file.data and b",2" in csv_file.data

    await propose(gug, "alice", "GUG Rosario", "Rosario", "Argentina")
    review = proposal_message(gug, "GUG Rosario")
    await sb.wait_for(lambda: field(gug, review, "Waiting nearby") == "2")
    await sb.wait_for(lambda: len(sb.dms("bob")) == 1 and len(sb.dms("carol")) == 1)
    invitation = sb.dms("bob")[0]
    assert "proposes “GUG Rosario” near you" in invitation.content

    refused = await sb.press_button("coord", review, button(sb.snapshot(review), "approve"))
    assert "has 0 of the 1 backer this server asks for" in refused.text

    backed = await sb.press_button("bob", invitation, button(sb.snapshot(invitation), "gug:back:"))
    assert "You back “GUG Rosario”" in backed.text
    again = await sb.press_button("bob", invitation, button(sb.snapshot(invitation), "gug:back:"))
    assert "already back" in again.text
    bob = sb.user("bob").id
    await sb.wait_for(lambda: field(gug, review, "Backers") == f"1 <@{bob}>")
    assert sb.pinged(review) == set()

    approved = await sb.press_button("coord", review, button(sb.snapshot(review), "approve"))
    assert "Approved" in approved.text
    role = sb.world.role("GUG Rosario")
    await sb.wait_for(lambda: len(sb.dms("carol")) == 2 and len(sb.dms("bob")) == 2)
    assert role.id in sb.world.guild.members[sb.user("bob").id].roles
    told = sb.dms("carol")[1]
    assert "“GUG Rosario” now meets near Rosario" in told.content
    joined = await sb.press_button("carol", told, button(sb.snapshot(told), "gug:join:"))
    assert "Welcome to “GUG Rosario”" in joined.text
    assert role.id in sb.world.guild.members[sb.user("carol").id].roles
    member_already = await sb.press_button(
        "bob", sb.dms("bob")[1], button(sb.snapshot(sb.dms("bob")[1]), "gug:join:")
    )
    assert "already a member" in member_already.text
    after = await sb.command("carol", "interest list")
    assert "not waiting" in after.text
    found_now = await sb.command("dave", "findgroup", place="Rosario")
    assert "GUG Rosario" in found_now.text and "of Rosario, Argentina: 0" in found_now.text
    assert not [cid for cid in found_now.custom_ids() if cid.startswith("gug:notify:")]


async def test_share_posts_an_invitation_to_back_the_proposal(gug: Gug) -> None:
    sb = gug.sb
    await configure(gug)
    await propose(gug, "alice", "GUG Lima", "Lima", "Peru", share="true")
    await sb.wait_for(lambda: any("GUG Lima" in m.content for m in sb.messages("general")))
    post = next(m for m in sb.messages("general") if "GUG Lima" in m.content)
    assert sb.pinged(post) == set()
    own = await sb.press_button("alice", post, button(sb.snapshot(post), "gug:back:"))
    assert "ask others to back it" in own.text
    await gug.restart()  # The button is rebuilt from its custom_id by the new bot.
    backed = await sb.press_button("erin", post, button(sb.snapshot(post), "gug:back:"))
    assert "You back “GUG Lima”" in backed.text


async def test_interest_remove_stops_the_wait(gug: Gug) -> None:
    sb = gug.sb
    await sb.command("erin", "interest add", place="Quito, Ecuador")
    choices = await sb.autocomplete("erin", "interest remove", "place", "qui")
    assert [choice["name"] for choice in choices] == ["Quito, Ecuador"]
    removed = await sb.command("erin", "interest remove", place=choices[0]["value"])
    assert "no longer wait" in removed.text
    gone = await sb.command("erin", "interest remove", place=choices[0]["value"])
    assert "not waiting for a group there" in gone.text


async def test_min_backers_is_confirmed_in_the_count_s_own_words(gug: Gug) -> None:
    sb = gug.sb
    await configure(gug)
    none = await sb.command("admin", "setup min-backers", count=0)
    assert none.text == "Proposals no longer need backers before approval."
    one = await sb.command("admin", "setup min-backers", count=1)
    assert one.text == "Proposals now need 1 backer before approval."
    sb.user("admin").locale = "pt-BR"
    three = await sb.command("admin", "setup min-backers", count=3)
    assert three.text == "Agora as propostas precisam de 3 apoiadores antes da aprovação."
