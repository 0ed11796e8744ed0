"""Discord's limits and error codes, in one place (API reference, "Embed Limits" etc.)."""

from __future__ import annotations

# "Create Message": content is at most 2,000 characters.
MESSAGE_LIMIT = 2000
# "Embed Limits": title 256, description 4,096, field value 1,024, all text 6,000.
EMBED_TITLE_LIMIT = 256
EMBED_DESCRIPTION_LIMIT = 4096
EMBED_FIELD_VALUE_LIMIT = 1024
EMBED_TOTAL_LIMIT = 6000
# "Create Message": a nonce is kept for at most 25 characters.
NONCE_LIMIT = 25
# JSON error code "Cannot send messages to this user" (their DMs are closed to us).
CANNOT_DM = 50007
