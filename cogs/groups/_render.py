"""Embeds for groups: discovery results, a group's card, proposals, lists and statistics."""

from __future__ import annotations

import csv
import io

import discord

from bot.embed_fit import fit_embed
from bot.limits import EMBED_DESCRIPTION_LIMIT, EMBED_FIELD_VALUE_LIMIT, EMBED_TITLE_LIMIT
from bot.mentions import mention
from bot.timefmt import discord_timestamp
from core.formats import format_count, format_distance, format_list, members
from core.geography import City
from core.i18n import Translator, _
from core.place_matching import PlaceMatch
from core.text import fit, spreadsheet_cell
from db.attendance import ShowUpRate
from db.group_directory import GroupSummary
from db.lifecycle import GroupNeedingRepair
from db.models import Group
from db.network_stats import NetworkStats

# Discord allows 25 fields per embed; one is kept for a "more" note.
FIELD_LIMIT = 24
# Keep the whole embed under Discord's 6,000 characters: 24 fields of at most ~220.
SUMMARY_VALUE_LIMIT = 220

PENDING_COLOUR = discord.Colour.gold()
APPROVED_COLOUR = discord.Colour.green()
REJECTED_COLOUR = discord.Colour.red()
GROUP_COLOUR = discord.Colour.blurple()


def _organizers(summary: GroupSummary) -> str:
    return ", ".join(mention(user_id) for user_id in summary.organizer_ids[:5]) or "—"


def summary_line(t: Translator, summary: GroupSummary) -> str:
    """Describe a group in a few lines: place, organizers, members, next meeting."""
    next_meeting = (
        f"{discord_timestamp(summary.next_meeting_at, 'F')} "
        f"({discord_timestamp(summary.next_meeting_at, 'R')})"
        if summary.next_meeting_at
        else t(_("none scheduled"))
    )
    text = "\n".join(
        [
            f"📍 {summary.city}, {summary.country}",
            t(_("Organizers: {names}"), names=_organizers(summary)),
            t(_("Members: {count}"), count=format_count(summary.member_count, t.language)),
            t(_("Next meeting: {when}"), when=next_meeting),
        ]
    )
    return fit(text, SUMMARY_VALUE_LIMIT)


def _add_summaries(embed: discord.Embed, t: Translator, summaries: list[GroupSummary]) -> None:
    for summary in summaries[:FIELD_LIMIT]:
        embed.add_field(
            name=fit(summary.name, EMBED_TITLE_LIMIT), value=summary_line(t, summary), inline=False
        )


def findgroup_embed(
    t: Translator,
    query: str,
    match: PlaceMatch,
    summaries: dict[int, GroupSummary],
    country_name: dict[str, str],
) -> discord.Embed:
    """Render /findgroup's answer: matching groups, nearby groups, or an invitation."""
    shown = fit(query, 100)
    if match.group_ids:
        embed = discord.Embed(
            title=fit(t(_("Groups for “{place}”"), place=shown), EMBED_TITLE_LIMIT),
            colour=GROUP_COLOUR,
        )
        _add_summaries(embed, t, [summaries[gid] for gid in match.group_ids if gid in summaries])
        if match.total > len(match.group_ids):
            embed.set_footer(
                text=t.plural(
                    "{n} more group matches; try a more precise place.",
                    "{n} more groups match; try a more precise place.",
                    match.total - len(match.group_ids),
                )
            )
        else:
            embed.set_footer(text=t(_("Join one with /group join.")))
        return fit_embed(
            embed, lambda dropped: t(_("{more} more match; try a more precise place."),
                                     more=match.total - len(embed.fields))
        )
    if match.nearby:
        lines = [t(_("There is no group in “{place}” yet."), place=shown)]
        for nearby in match.nearby:
            lines.append("")
            lines.append(f"**{_city_label(nearby.city, country_name)}**")
            for group_id, km in nearby.groups:
                summary = summaries.get(group_id)
                if summary is not None:
                    lines.append(
                        t(
                            _("• {name} — {city}, {country}: {distance}"),
                            name=summary.name,
                            city=summary.city,
                            country=summary.country,
                            distance=format_distance(km, t.language),
                        )
                    )
            if not nearby.groups:
                lines.append(t(_("No active group anywhere yet.")))
        lines.append("")
        lines.append(t(_("Start one near you with /group propose!")))
        return discord.Embed(
            title=t(_("Nearest groups")),
            description=fit("\n".join(lines), EMBED_DESCRIPTION_LIMIT),
            colour=GROUP_COLOUR,
        )
    return discord.Embed(
        title=t(_("No group found")),
        description=t(
            _(
                "Nothing matches “{place}”. Check the spelling, "
                "or start a group with /group propose."
            ),
            place=shown,
        ),
        colour=GROUP_COLOUR,
    )


def _city_label(city: City, country_name: dict[str, str]) -> str:
    return f"{city.name}, {country_name.get(city.country_code, city.country_code)}"


def show_up_text(t: Translator, show_up: ShowUpRate | None) -> str:
    """Write a show-up rate as "75% (3 of 4)", or a dash when nobody was going."""
    if show_up is None or show_up.rate is None:
        return "—"
    return t(_("{percent}% ({came} of {going})"), percent=round(show_up.rate * 100),
             came=show_up.showed_up, going=show_up.going)


def group_embed(
    t: Translator,
    summary: GroupSummary,
    show_up: ShowUpRate | None = None,
    page_url: str | None = None,
) -> discord.Embed:
    """Render one group's card for /group info; its title links to its public page."""
    embed = discord.Embed(
        title=fit(summary.name, EMBED_TITLE_LIMIT),
        description=fit(summary.description, EMBED_DESCRIPTION_LIMIT) or None,
        colour=GROUP_COLOUR,
        url=page_url,
    )
    embed.add_field(name=t(_("Place")), value=fit(f"{summary.city}, {summary.country}", 1024))
    embed.add_field(name=t(_("Time zone")), value=summary.timezone)
    embed.add_field(
        name=t(_("Members")), value=format_count(summary.member_count, t.language)
    )
    embed.add_field(
        name=t(_("Organizers")), value=fit(_organizers(summary), EMBED_FIELD_VALUE_LIMIT)
    )
    embed.add_field(
        name=t(_("Next meeting")),
        value=discord_timestamp(summary.next_meeting_at, "F")
        if summary.next_meeting_at
        else t(_("none scheduled")),
    )
    embed.add_field(name=t(_("Show-up rate (90 days)")), value=show_up_text(t, show_up))
    if summary.channel_id:
        embed.add_field(name=t(_("Channel")), value=f"<#{summary.channel_id}>")
    return embed


def proposal_embed(t: Translator, group: Group, *, decided_by: int | None = None) -> discord.Embed:
    """Render a proposal for the coordinators, with its decision once there is one."""
    colour = {"pending": PENDING_COLOUR, "active": APPROVED_COLOUR}.get(
        group.status, REJECTED_COLOUR
    )
    embed = discord.Embed(
        title=fit(t(_("Proposed group: {name}"), name=group.name), EMBED_TITLE_LIMIT),
        description=fit(group.description, EMBED_DESCRIPTION_LIMIT) or None,
        colour=colour,
    )
    embed.add_field(name=t(_("Place")), value=fit(f"{group.city}, {group.country}", 1024))
    embed.add_field(name=t(_("Time zone")), value=group.timezone)
    embed.add_field(name=t(_("Proposed by")), value=mention(group.proposer_id))
    status = {
        "pending": t(_("Waiting for review")),
        "active": t(_("Approved")),
        "rejected": t(_("Rejected")),
        "archived": t(_("Archived")),
    }[group.status]
    if decided_by is not None:
        status = t(_("{status} by {who}"), status=status, who=mention(decided_by))
    if group.decision_reason:
        status += "\n" + fit(group.decision_reason, 900)
    embed.add_field(name=t(_("Status")), value=status, inline=False)
    embed.set_footer(text=t(_("Group id {id}"), id=group.id))
    return embed


def _repair_line(t: Translator, item: GroupNeedingRepair) -> str:
    lacks = []
    if item.lacks_channel:
        lost = item.channel_lost_at
        lacks.append(
            t(_("channel deleted {when}"), when=discord_timestamp(lost, "R"))
            if lost
            else t(_("no channel"))
        )
    if item.lacks_role:
        lost = item.role_lost_at
        lacks.append(
            t(_("role deleted {when}"), when=discord_timestamp(lost, "R")) if lost
            else t(_("no role"))
        )
    return t(_("{lacks} — /coord repair"), lacks=", ".join(lacks))


def pending_embed(
    t: Translator, groups: list[Group], repairs: list[GroupNeedingRepair]
) -> discord.Embed:
    """Render /coord pending: proposals first, then groups that lost a channel or role."""
    embed = discord.Embed(title=t(_("Proposals waiting for review")), colour=PENDING_COLOUR)
    if not groups:
        embed.description = t(_("Nothing is waiting for review."))
    for item in repairs[:FIELD_LIMIT // 2]:
        embed.add_field(
            name=fit(t(_("To repair: {name}"), name=item.group.name), EMBED_TITLE_LIMIT),
            value=fit(_repair_line(t, item), SUMMARY_VALUE_LIMIT),
            inline=False,
        )
    for group in groups[: FIELD_LIMIT - len(embed.fields)]:
        embed.add_field(
            name=fit(f"{group.name} (#{group.id})", EMBED_TITLE_LIMIT),
            value=fit(
                t(
                    _("{city}, {country} — proposed by {who} {when}"),
                    city=group.city,
                    country=group.country,
                    who=mention(group.proposer_id),
                    when=discord_timestamp(group.created_at, "R"),
                ),
                SUMMARY_VALUE_LIMIT,
            ),
            inline=False,
        )
    shown = len(embed.fields)
    if len(groups) > shown:
        embed.set_footer(text=t(_("…and {more} more."), more=len(groups) - shown))
    return fit_embed(
        embed, lambda dropped: t(_("…and {more} more."), more=len(groups) - shown + dropped)
    )


def list_embed(
    t: Translator, summaries: list[GroupSummary], total: int, country: str | None
) -> discord.Embed:
    """Render /group list."""
    title = t(_("Groups in {country}"), country=country) if country else t(_("All active groups"))
    embed = discord.Embed(title=fit(title, EMBED_TITLE_LIMIT), colour=GROUP_COLOUR)
    if not summaries:
        embed.description = t(_("No active groups yet. Start one with /group propose."))
    _add_summaries(embed, t, summaries)
    shown = len(embed.fields)
    if total > shown:
        embed.set_footer(text=_showing(t, shown, total))
    return fit_embed(embed, lambda dropped: _showing(t, shown - dropped, total))


def _showing(t: Translator, shown: int, total: int) -> str:
    return t(
        _("Showing {shown} of {total}; use /findgroup to narrow down."), shown=shown, total=total
    )


def stats_embed(
    t: Translator,
    stats: NetworkStats,
    dormant_after_days: int,
    orphaned: set[int],
    show_up: dict[int, ShowUpRate] | None = None,
) -> discord.Embed:
    """Render /coord stats: one line per group (with its show-up rate), then network totals.

    ``orphaned`` groups have no organizer left in the server: flagged so a coordinator
    names a new one.
    """
    lines = []
    for item in stats.groups:
        since = (
            t(_("{days}d since last"), days=item.days_since_last_meeting)
            if item.days_since_last_meeting is not None
            else t(_("never met"))
        )
        upcoming = discord_timestamp(item.next_meeting_at, "d") if item.next_meeting_at else "—"
        flag = " 💤" if item.dormant else ""
        if item.group_id in orphaned:
            flag += " ⚠️ " + t(_("no organizer left in the server"))
        lines.append(
            t(
                _("**{name}**{flag}: {members} · {recent} · next {next} · {since}"),
                name=fit(item.name, 80),
                flag=flag,
                members=members(item.members, t.language),
                recent=t.plural("{n} meeting/90d", "{n} meetings/90d", item.recent_meetings),
                next=upcoming,
                since=since,
            )
            + " · "
            + t(_("show-up {rate}"), rate=show_up_text(t, (show_up or {}).get(item.group_id)))
        )
    totals = format_list(
        [
            t.plural("{n} active group", "{n} active groups", len(stats.groups)),
            t.plural(
                "{n} dormant (no meeting in {days} days)",
                "{n} dormant (no meeting in {days} days)",
                stats.dormant,
                days=dormant_after_days,
            ),
            t.plural("{n} pending", "{n} pending", stats.pending),
            members(stats.total_members, t.language),
            t.plural(
                "{n} meeting in the last 90 days",
                "{n} meetings in the last 90 days",
                stats.recent_meetings,
            ),
        ],
        t.language,
    ) + "."
    body = "\n".join(lines) or t(_("No active groups yet."))
    embed = discord.Embed(
        title=t(_("Network statistics")),
        description=fit(body, EMBED_DESCRIPTION_LIMIT - 100),
        colour=GROUP_COLOUR,
    )
    embed.add_field(name=t(_("Totals")), value=fit(totals, EMBED_FIELD_VALUE_LIMIT), inline=False)
    return embed


def stats_csv(stats: NetworkStats, orphaned: set[int]) -> bytes:
    """Write every group's figures as CSV, so a large network is never cut to one embed."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        [
            "group", "members", "meetings_90d", "next_meeting_utc", "days_since_last", "dormant",
            "organizers_left",
        ]
    )
    for item in stats.groups:
        writer.writerow(
            [
                spreadsheet_cell(item.name),
                item.members,
                item.recent_meetings,
                item.next_meeting_at.isoformat() if item.next_meeting_at else "",
                "" if item.days_since_last_meeting is None else item.days_since_last_meeting,
                "yes" if item.dormant else "no",
                "yes" if item.group_id in orphaned else "no",
            ]
        )
    return buffer.getvalue().encode("utf-8")
