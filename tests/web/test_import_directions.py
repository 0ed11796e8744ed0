"""web/ reads db/ and core/ only: no Discord, no cogs, no bot shell."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

WEB = Path(__file__).resolve().parents[2] / "web"
FORBIDDEN = ("discord", "cogs", "bot", "sandbox")


@pytest.mark.parametrize("module", sorted(WEB.rglob("*.py")), ids=lambda path: path.name)
def test_web_modules_import_neither_discord_nor_cogs_nor_the_shell(module: Path) -> None:
    tree = ast.parse(module.read_text(encoding="utf-8"))
    imported = [
        alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names
    ] + [node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]
    assert not [name for name in imported if name.split(".")[0] in FORBIDDEN]
