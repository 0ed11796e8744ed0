"""The words of check-ins: the question, the answers' labels, the coordinators' post."""

from __future__ import annotations

from core.i18n import Translator, _
from db.checkins import CheckinSummary
from db.models import CheckinAnswer

ANSWER_LABELS = {
    CheckinAnswer.ACTIVE: _("Still active — planning a meeting"),
    CheckinAnswer.NEED_HELP: _("We need help"),
    CheckinAnswer.PLEASE_ARCHIVE: _("Please archive us"),
}


def question(t: Translator, group_name: str) -> str:
    """Return the check-in's question to a quiet group's organizers."""
    return t(
        _("Hello from the coordinators! “{name}” has had no meeting for a while. How is it going?"),
        name=group_name,
    )


def answer_label(t: Translator, answer: CheckinAnswer) -> str:
    """Return an answer as its button says it."""
    return t(ANSWER_LABELS[answer])


def coordinators_post(t: Translator, group_name: str, user_id: int, answer: CheckinAnswer) -> str:
    """Return what coordinators read when an organizer asks for help or an archive."""
    if answer == CheckinAnswer.PLEASE_ARCHIVE:
        return t(
            _("<@{user}> asks to archive “{name}”. Confirm with the button below."),
            user=user_id,
            name=group_name,
        )
    return t(_("<@{user}> says “{name}” needs help."), user=user_id, name=group_name)


def checkins_lines(t: Translator, summaries: list[CheckinSummary]) -> str:
    """Render the latest check-in of each quiet group, for /coord stats."""
    lines = []
    for item in summaries:
        answer = answer_label(t, item.answer) if item.answer else t(_("no answer yet"))
        lines.append(f"**{item.group_name}**: {answer}")
    return "\n".join(lines)
