"""Discord's limits on components, modals, autocomplete choices and files, as 50035 trees."""

import discord
import pytest

from sandbox.validation import (
    ApiError,
    components_errors,
    validate_choices,
    validate_message,
    validate_modal,
)

pytestmark = pytest.mark.asyncio(loop_scope="module")


def button(label="Go", custom_id="go"):
    return {"type": 2, "style": 1, "label": label, "custom_id": custom_id}


def row(*items):
    return {"type": 1, "components": list(items)}


def text_input(**overrides):
    return {"type": 4, "custom_id": "answer", "style": 1, "label": "Answer", **overrides}


def modal(**overrides):
    return {"custom_id": "feedback", "title": "Feedback",
            "components": [row(text_input())], **overrides}


def refused(call, *args, **kwargs) -> ApiError:
    with pytest.raises(ApiError) as caught:
        call(*args, **kwargs)
    assert caught.value.status == 400 and caught.value.code == 50035
    return caught.value


async def test_components_within_limits_pass():
    assert components_errors([row(*[button(custom_id=str(i)) for i in range(5)])] * 5) == {}


@pytest.mark.parametrize(("rows", "path"), [
    ([row(button())] * 6, ("components", "_errors")),
    ([row(*[button(custom_id=str(i)) for i in range(6)])], ("components", "0", "components")),
    ([row(button(label="l" * 81))], ("components", "0", "components", "0", "label")),
    ([row(button(custom_id="c" * 101))], ("components", "0", "components", "0", "custom_id")),
])
async def test_over_limit_components_are_50035_at_their_path(rows, path):
    error = refused(validate_message, {"content": "hi", "components": rows})
    tree = error.errors
    for key in path:
        tree = tree[key]


async def test_select_with_26_options_is_refused():
    options = [{"label": str(i), "value": str(i)} for i in range(26)]
    select = {"type": 3, "custom_id": "pick", "options": options}
    error = refused(validate_message, {"content": "hi", "components": [row(select)]})
    assert "options" in error.errors["components"]["0"]["components"]["0"]


async def test_eleven_files_are_refused_and_an_oversized_file_is_413():
    refused(validate_message, {"content": "hi"}, file_sizes=[1] * 11)
    with pytest.raises(ApiError) as caught:
        validate_message({"content": "hi"}, file_sizes=[10 * 1024 * 1024 + 1])
    assert caught.value.status == 413


@pytest.mark.parametrize(("overrides", "key"), [
    ({"title": "t" * 46}, "title"),
    ({"title": ""}, "title"),
    ({"custom_id": "c" * 101}, "custom_id"),
    ({"components": []}, "components"),
    ({"components": [row(text_input(label="l" * 46))]}, "components"),
    ({"components": [row(text_input(placeholder="p" * 101))]}, "components"),
    ({"components": [row(text_input(value="v" * 4001))]}, "components"),
    ({"components": [row(text_input())] * 6}, "components"),
])
async def test_over_limit_modals_are_50035_under_data(overrides, key):
    error = refused(validate_modal, modal(**overrides))
    assert key in error.errors["data"]


async def test_a_modal_within_limits_passes():
    validate_modal(modal(title="t" * 45, components=[row(text_input(label="l" * 45))] * 5))


@pytest.mark.parametrize("choices", [
    [{"name": str(i), "value": str(i)} for i in range(26)],
    [{"name": "", "value": "x"}],
    [{"name": "n" * 101, "value": "x"}],
    [{"name": "ok", "value": "v" * 101}],
])
async def test_over_limit_autocomplete_choices_are_50035(choices):
    error = refused(validate_choices, choices)
    assert "choices" in error.errors["data"]


async def test_an_over_limit_modal_through_the_client_is_refused(shared):
    sb, bot = shared
    sb.world.ack_deadline_s = 10
    try:
        with pytest.raises(TimeoutError):
            await sb.command("alice", "late", timeout=0.05)
        interaction = bot.late_interactions[-1]
        with pytest.raises(discord.HTTPException) as caught:
            await bot.http.request(discord.http.Route(
                "POST", "/interactions/{i}/{t}/callback", i=interaction.id,
                t=interaction.token), json={"type": 9, "data": modal(title="t" * 46)})
        assert caught.value.status == 400 and caught.value.code == 50035
        assert "data.title" in caught.value.text
    finally:
        sb.world.ack_deadline_s = 3.0


async def test_an_over_limit_reply_to_an_interaction_is_refused_under_data(shared):
    sb, bot = shared
    sb.world.ack_deadline_s = 10
    try:
        with pytest.raises(TimeoutError):
            await sb.command("alice", "late", timeout=0.05)
        interaction = bot.late_interactions[-1]
        with pytest.raises(discord.HTTPException) as caught:
            await interaction.response.send_message("x" * 2001)
        assert caught.value.code == 50035
        assert "data.content" in caught.value.text
    finally:
        sb.world.ack_deadline_s = 3.0
