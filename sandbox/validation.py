"""Discord's limits and error bodies, and the checks that apply them to requests."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

# Message and embed limits (Discord API docs, "Message Resource" and "Embed Limits").
CONTENT_MAX = 2000
NONCE_MAX = 25
EMBEDS_MAX = 10
EMBED_TITLE_MAX = 256
EMBED_DESCRIPTION_MAX = 4096
EMBED_FIELDS_MAX = 25
EMBED_FIELD_NAME_MAX = 256
EMBED_FIELD_VALUE_MAX = 1024
EMBED_FOOTER_MAX = 2048
EMBED_AUTHOR_MAX = 256
EMBED_TOTAL_MAX = 6000
# Interaction limits (Discord API docs, "Receiving and Responding").
ACK_DEADLINE_S = 3.0
AUTOCOMPLETE_CHOICES_MAX = 25
CHOICE_NAME_MAX = 100
CHOICE_VALUE_MAX = 100
# Component limits (Discord API docs, "Message Components").
ACTION_ROWS_MAX = 5
ROW_BUTTONS_MAX = 5
CUSTOM_ID_MAX = 100
BUTTON_LABEL_MAX = 80
SELECT_OPTIONS_MAX = 25
SELECT_OPTION_TEXT_MAX = 100
SELECT_PLACEHOLDER_MAX = 150
URL_MAX = 512
# Modal limits (Discord API docs, "Interaction Response Object", "Text Inputs").
MODAL_TITLE_MAX = 45
MODAL_ROWS_MAX = 5
TEXT_INPUT_LABEL_MAX = 45
TEXT_INPUT_PLACEHOLDER_MAX = 100
TEXT_INPUT_VALUE_MAX = 4000
LABEL = 18  # A modal's label component, wrapping one text input or select.
LABEL_DESCRIPTION_MAX = 100
# Attachments: at most 10 files per message, each at most 10 MiB for a bot.
ATTACHMENTS_MAX = 10
ATTACHMENT_BYTES_MAX = 10 * 1024 * 1024
REACTIONS_PAGE_MAX = 100

# JSON error codes (Discord API docs, "Opcodes and Status Codes").
UNKNOWN_CHANNEL = 10003
UNKNOWN_GUILD = 10004
UNKNOWN_MEMBER = 10007
UNKNOWN_MESSAGE = 10008
UNKNOWN_ROLE = 10011
UNKNOWN_USER = 10013
UNKNOWN_EMOJI = 10014
UNKNOWN_WEBHOOK = 10015
UNKNOWN_INTERACTION = 10062
UNKNOWN_EVENT = 10070
MISSING_ACCESS = 50001
EMPTY_MESSAGE = 50006
CANNOT_DM = 50007
MISSING_PERMISSIONS = 50013
INVALID_FORM_BODY = 50035
ALREADY_ACKNOWLEDGED = 40060
ENTITY_TOO_LARGE = 40005


class ApiError(Exception):
    """An error answer: HTTP status plus Discord's JSON body."""

    def __init__(self, status: int, code: int, message: str, errors: Any = None) -> None:
        super().__init__(f"{status} {code} {message}")
        self.status = status
        self.code = code
        self.message = message
        self.errors = errors

    def body(self) -> dict[str, Any]:
        """Return the JSON error body Discord sends."""
        data: dict[str, Any] = {"message": self.message, "code": self.code}
        if self.errors is not None:
            data["errors"] = self.errors
        return data


def not_found(code: int, what: str) -> ApiError:
    """Return a 404 for an unknown object, e.g. `not_found(UNKNOWN_MESSAGE, "Message")`."""
    return ApiError(404, code, f"Unknown {what}")


def missing_permissions() -> ApiError:
    """Return Discord's 403 50013."""
    return ApiError(403, MISSING_PERMISSIONS, "Missing Permissions")


def missing_access() -> ApiError:
    """Return Discord's 403 50001."""
    return ApiError(403, MISSING_ACCESS, "Missing Access")


def _error(code: str, message: str) -> dict[str, Any]:
    return {"_errors": [{"code": code, "message": message}]}


def _max_length(limit: int) -> dict[str, Any]:
    return _error("BASE_TYPE_MAX_LENGTH", f"Must be {limit} or fewer in length.")


def _bad_length(low: int, high: int) -> dict[str, Any]:
    return _error("BASE_TYPE_BAD_LENGTH", f"Must be between {low} and {high} in length.")


def _required() -> dict[str, Any]:
    return _error("BASE_TYPE_REQUIRED", "This field is required")


def form_error(errors: dict[str, Any]) -> ApiError:
    """Return 400 50035 with an `errors` tree."""
    return ApiError(400, INVALID_FORM_BODY, "Invalid Form Body", errors)


def _text_len(value: Any) -> int:
    return len(value) if isinstance(value, str) else 0


def embed_errors(embed: dict[str, Any]) -> tuple[dict[str, Any], int]:
    """Return the errors tree of one embed and its character count."""
    errors: dict[str, Any] = {}
    for key, limit in (("title", EMBED_TITLE_MAX), ("description", EMBED_DESCRIPTION_MAX)):
        if _text_len(embed.get(key)) > limit:
            errors[key] = _max_length(limit)
    total = _text_len(embed.get("title")) + _text_len(embed.get("description"))
    fields = embed.get("fields") or []
    if len(fields) > EMBED_FIELDS_MAX:
        errors["fields"] = _max_length(EMBED_FIELDS_MAX)
    field_errors: dict[str, Any] = {}
    for i, item in enumerate(fields):
        one: dict[str, Any] = {}
        name, value = item.get("name"), item.get("value")
        if not name:
            one["name"] = _error("BASE_TYPE_REQUIRED", "This field is required")
        elif _text_len(name) > EMBED_FIELD_NAME_MAX:
            one["name"] = _max_length(EMBED_FIELD_NAME_MAX)
        if not value:
            one["value"] = _error("BASE_TYPE_REQUIRED", "This field is required")
        elif _text_len(value) > EMBED_FIELD_VALUE_MAX:
            one["value"] = _max_length(EMBED_FIELD_VALUE_MAX)
        if one:
            field_errors[str(i)] = one
        total += _text_len(name) + _text_len(value)
    if field_errors:
        errors["fields"] = field_errors
    footer = (embed.get("footer") or {}).get("text")
    if _text_len(footer) > EMBED_FOOTER_MAX:
        errors["footer"] = {"text": _max_length(EMBED_FOOTER_MAX)}
    author = (embed.get("author") or {}).get("name")
    if _text_len(author) > EMBED_AUTHOR_MAX:
        errors["author"] = {"name": _max_length(EMBED_AUTHOR_MAX)}
    total += _text_len(footer) + _text_len(author)
    return errors, total


def _button_errors(item: dict[str, Any]) -> dict[str, Any]:
    one: dict[str, Any] = {}
    if _text_len(item.get("label")) > BUTTON_LABEL_MAX:
        one["label"] = _max_length(BUTTON_LABEL_MAX)
    if _text_len(item.get("url")) > URL_MAX:
        one["url"] = _max_length(URL_MAX)
    return one


def _select_errors(item: dict[str, Any]) -> dict[str, Any]:
    one: dict[str, Any] = {}
    if _text_len(item.get("placeholder")) > SELECT_PLACEHOLDER_MAX:
        one["placeholder"] = _max_length(SELECT_PLACEHOLDER_MAX)
    options = item.get("options")
    if options is None:
        return one
    if len(options) > SELECT_OPTIONS_MAX:
        one["options"] = _bad_length(1, SELECT_OPTIONS_MAX)
        return one
    tree: dict[str, Any] = {}
    for i, option in enumerate(options):
        bad = {key: _bad_length(1, SELECT_OPTION_TEXT_MAX) for key in ("label", "value")
               if not 1 <= _text_len(option.get(key)) <= SELECT_OPTION_TEXT_MAX}
        if _text_len(option.get("description")) > SELECT_OPTION_TEXT_MAX:
            bad["description"] = _max_length(SELECT_OPTION_TEXT_MAX)
        if bad:
            tree[str(i)] = bad
    if tree:
        one["options"] = tree
    return one


def _component_errors(item: dict[str, Any]) -> dict[str, Any]:
    """Return the errors of one button, select or text input inside an action row."""
    one: dict[str, Any] = {}
    custom_id = item.get("custom_id")
    if custom_id is not None and not 1 <= _text_len(custom_id) <= CUSTOM_ID_MAX:
        one["custom_id"] = _bad_length(1, CUSTOM_ID_MAX)
    kind = item.get("type")
    if kind == 2:
        one.update(_button_errors(item))
    elif kind == 4:
        one.update(_text_input_errors(item))
    elif kind in (3, 5, 6, 7, 8):
        one.update(_select_errors(item))
    return one


def _text_input_errors(item: dict[str, Any]) -> dict[str, Any]:
    one: dict[str, Any] = {}
    if "label" in item and not 1 <= _text_len(item["label"]) <= TEXT_INPUT_LABEL_MAX:
        one["label"] = _bad_length(1, TEXT_INPUT_LABEL_MAX)
    if _text_len(item.get("placeholder")) > TEXT_INPUT_PLACEHOLDER_MAX:
        one["placeholder"] = _max_length(TEXT_INPUT_PLACEHOLDER_MAX)
    if _text_len(item.get("value")) > TEXT_INPUT_VALUE_MAX:
        one["value"] = _max_length(TEXT_INPUT_VALUE_MAX)
    for key, low in (("min_length", 0), ("max_length", 1)):
        bound = item.get(key)
        if bound is not None and not low <= int(bound) <= TEXT_INPUT_VALUE_MAX:
            one[key] = _error("NUMBER_TYPE_MAX", f"int value should be <= {TEXT_INPUT_VALUE_MAX}.")
    return one


def _label_errors(row: dict[str, Any]) -> dict[str, Any]:
    """Return the errors of a modal's label component (type 18) and what it wraps."""
    one: dict[str, Any] = {}
    if not 1 <= _text_len(row.get("label")) <= TEXT_INPUT_LABEL_MAX:
        one["label"] = _bad_length(1, TEXT_INPUT_LABEL_MAX)
    if _text_len(row.get("description")) > LABEL_DESCRIPTION_MAX:
        one["description"] = _max_length(LABEL_DESCRIPTION_MAX)
    if bad := _component_errors(row.get("component") or {}):
        one["component"] = bad
    return one


def components_errors(rows: list[dict[str, Any]], *, per_row: int = ROW_BUTTONS_MAX
                      ) -> dict[str, Any]:
    """Return the errors tree of a message's (or modal's) action rows, empty when valid."""
    if len(rows) > ACTION_ROWS_MAX:
        return _bad_length(1, ACTION_ROWS_MAX)
    tree: dict[str, Any] = {}
    for i, row in enumerate(rows):
        if row.get("type") == LABEL:
            if bad := _label_errors(row):
                tree[str(i)] = bad
            continue
        children = row.get("components") or []
        if row.get("type") != 1:
            continue
        if not 1 <= len(children) <= per_row:
            tree[str(i)] = {"components": _bad_length(1, per_row)}
            continue
        inner = {str(j): bad for j, child in enumerate(children)
                 if (bad := _component_errors(child))}
        if inner:
            tree[str(i)] = {"components": inner}
    return tree


def validate_message(payload: dict[str, Any], *, file_sizes: Sequence[int] = (),
                     edit: bool = False) -> None:
    """Raise ApiError when a message create/edit breaks Discord's limits."""
    errors: dict[str, Any] = {}
    content = payload.get("content")
    if content is not None and not isinstance(content, str):
        content = str(content)
    if content is not None and len(content) > CONTENT_MAX:
        errors["content"] = _max_length(CONTENT_MAX)
    embeds = payload.get("embeds") or []
    if len(embeds) > EMBEDS_MAX:
        errors["embeds"] = _max_length(EMBEDS_MAX)
    embed_tree: dict[str, Any] = {}
    total = 0
    for i, embed in enumerate(embeds):
        one, size = embed_errors(embed)
        total += size
        if one:
            embed_tree[str(i)] = one
    if total > EMBED_TOTAL_MAX:
        embed_tree.update(
            _error("BASE_TYPE_MAX_LENGTH", f"Embed size exceeds maximum size of {EMBED_TOTAL_MAX}")
        )
    if embed_tree:
        errors["embeds"] = embed_tree
    nonce = payload.get("nonce")
    if nonce is not None and len(str(nonce)) > NONCE_MAX:
        errors["nonce"] = _max_length(NONCE_MAX)
    component_tree = components_errors(payload.get("components") or [])
    if component_tree:
        errors["components"] = component_tree
    if len(file_sizes) > ATTACHMENTS_MAX:
        errors["files"] = _max_length(ATTACHMENTS_MAX)
    if errors:
        raise form_error(errors)
    if any(size > ATTACHMENT_BYTES_MAX for size in file_sizes):
        raise ApiError(413, ENTITY_TOO_LARGE, "Request entity too large")
    if edit:
        return
    has_attachments = bool(file_sizes) or bool(payload.get("attachments"))
    empty = (
        not content and not embeds and not payload.get("components")
        and not has_attachments and not payload.get("sticker_ids") and not payload.get("poll")
    )
    if empty:
        raise ApiError(400, EMPTY_MESSAGE, "Cannot send an empty message")


def validate_modal(data: dict[str, Any]) -> None:
    """Raise 50035 (under `data`) when a modal breaks Discord's limits."""
    errors: dict[str, Any] = {}
    if not 1 <= _text_len(data.get("title")) <= MODAL_TITLE_MAX:
        errors["title"] = _bad_length(1, MODAL_TITLE_MAX)
    if not 1 <= _text_len(data.get("custom_id")) <= CUSTOM_ID_MAX:
        errors["custom_id"] = _bad_length(1, CUSTOM_ID_MAX)
    rows = data.get("components") or []
    if not rows:
        errors["components"] = _bad_length(1, MODAL_ROWS_MAX)
    elif tree := components_errors(rows, per_row=1):
        errors["components"] = tree
    if errors:
        raise form_error({"data": errors})


def validate_choices(choices: list[dict[str, Any]]) -> None:
    """Raise 50035 (under `data.choices`) when autocomplete choices break Discord's limits."""
    if len(choices) > AUTOCOMPLETE_CHOICES_MAX:
        raise form_error({"data": {"choices": _max_length(AUTOCOMPLETE_CHOICES_MAX)}})
    tree: dict[str, Any] = {}
    for i, choice in enumerate(choices):
        one: dict[str, Any] = {}
        if not 1 <= _text_len(choice.get("name")) <= CHOICE_NAME_MAX:
            one["name"] = _bad_length(1, CHOICE_NAME_MAX)
        value = choice.get("value")
        if isinstance(value, str) and len(value) > CHOICE_VALUE_MAX:
            one["value"] = _max_length(CHOICE_VALUE_MAX)
        if one:
            tree[str(i)] = one
    if tree:
        raise form_error({"data": {"choices": tree}})


_CUSTOM_EMOJI = re.compile(r"^<?a?:?([\w~-]{1,32}):(\d{15,25})>?$")
_COLON_NAME = re.compile(r"^:[\w~+-]+:$")


def parse_emoji(raw: str) -> tuple[str, dict[str, Any]]:
    """Parse a URL emoji (`✅` or `name:id`) into a key and an emoji object, or raise 10014."""
    raw = raw.strip()
    if not raw or _COLON_NAME.match(raw) or len(raw) > 64:
        raise ApiError(400, UNKNOWN_EMOJI, "Unknown Emoji")
    custom = _CUSTOM_EMOJI.match(raw)
    if custom:
        name, eid = custom.groups()
        return f"{name}:{eid}", {"id": eid, "name": name}
    if ":" in raw or raw.isascii():
        raise ApiError(400, UNKNOWN_EMOJI, "Unknown Emoji")
    return raw, {"id": None, "name": raw}
