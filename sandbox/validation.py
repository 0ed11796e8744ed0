"""Discord's limits and error bodies, and the checks that apply them to requests."""

from __future__ import annotations

import re
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


def validate_message(payload: dict[str, Any], *, files: int = 0, edit: bool = False) -> None:
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
    if errors:
        raise form_error(errors)
    if edit:
        return
    has_attachments = files > 0 or bool(payload.get("attachments"))
    empty = (
        not content and not embeds and not payload.get("components")
        and not has_attachments and not payload.get("sticker_ids") and not payload.get("poll")
    )
    if empty:
        raise ApiError(400, EMPTY_MESSAGE, "Cannot send an empty message")


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
