"""The README's configuration reference agrees with config.example.toml."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
ROW = re.compile(r"^\| `(?P<key>[a-z_]+\.[a-z_]+)` \| `(?P<default>[^`]*)` \|")


def readme_reference() -> dict[str, Any]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("<!-- config-reference")[1].split("<!-- /config-reference")[0]
    rows = {}
    for line in section.splitlines():
        match = ROW.match(line)
        if match:
            rows[match["key"]] = tomllib.loads(f"value = {match['default']}")["value"]
    return rows


def example_config() -> dict[str, Any]:
    data = tomllib.loads((ROOT / "config.example.toml").read_text(encoding="utf-8"))
    return {f"{section}.{key}": value for section, keys in data.items() for key, value in keys.items()}


def test_readme_lists_every_config_key_with_its_default() -> None:
    assert readme_reference() == example_config()


def test_readme_quick_start_has_the_two_make_commands() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    quick_start = text.split("## Quick start")[1].split("##")[0]
    assert "make demo" in quick_start
    assert "make test" in quick_start


def test_readme_states_the_invite_permission_integer() -> None:
    from bot.invite import REQUIRED_PERMISSIONS

    assert f"`{REQUIRED_PERMISSIONS.value}`" in (ROOT / "README.md").read_text(encoding="utf-8")
