from __future__ import annotations

import base64
from urllib.parse import parse_qs, urlsplit

import pytest

from bot.cli import main
from bot.invite import REQUIRED_PERMISSIONS, InviteError, application_id_from_token

APP_ID = 1234567890123456789


def token_for(app_id: int) -> str:
    return base64.b64encode(str(app_id).encode()).decode().rstrip("=") + ".abc.def"


def test_application_id_is_read_from_the_token() -> None:
    assert application_id_from_token(token_for(APP_ID)) == APP_ID


def test_invite_url_has_scopes_and_the_documented_permissions(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: object
) -> None:
    monkeypatch.chdir(tmp_path)  # type: ignore[arg-type]
    monkeypatch.setenv("DISCORD_TOKEN", token_for(APP_ID))
    assert main(["invite-url"]) == 0
    query = parse_qs(urlsplit(capsys.readouterr().out.strip()).query)
    assert query["client_id"] == [str(APP_ID)]
    assert query["scope"] == ["bot applications.commands"]
    assert int(query["permissions"][0]) == REQUIRED_PERMISSIONS.value


def test_invite_url_without_token_or_id_says_what_to_set(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: object
) -> None:
    monkeypatch.chdir(tmp_path)  # type: ignore[arg-type]
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    assert main(["invite-url"]) == 2
    assert "application_id" in capsys.readouterr().err


def test_a_token_whose_id_is_not_ascii_digits_is_refused_not_crashed() -> None:
    # "²" passes str.isdigit, which int() refuses.
    forged = base64.b64encode("²".encode()).decode().rstrip("=") + ".x.y"
    with pytest.raises(InviteError):
        application_id_from_token(forged)
