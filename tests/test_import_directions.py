"""The rooms of the house import only downwards, and no product file outgrows 500 lines.

core/ is pure logic; db/ stands on core/ alone; cogs/ (features) and web/ stand on bot/,
db/ and core/; bot/ is the shell. The shell reaches up only where it must: app.py loads
the cogs as extensions, and the demo and the local bot drive the sandbox.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ROOMS = ("core", "db", "cogs", "bot", "web", "sandbox")
MAX_LINES = 500

# What each room must never import (top-level package names).
FORBIDDEN: dict[str, frozenset[str]] = {
    "core": frozenset({"discord", "sqlalchemy", "aiohttp", "bot", "cogs", "db", "web", "sandbox"}),
    "db": frozenset({"discord", "aiohttp", "bot", "cogs", "web", "sandbox"}),
    "cogs": frozenset({"web", "sandbox"}),
    "web": frozenset({"discord", "cogs", "sandbox"}),
    "bot": frozenset({"cogs", "web", "sandbox"}),
    "sandbox": frozenset({"bot", "cogs", "db", "web"}),
}
# The few shell modules allowed one step further, and why.
EXCEPTIONS: dict[str, frozenset[str]] = {
    "bot/app.py": frozenset({"cogs"}),  # loads every cog as an extension
    "bot/local_bot.py": frozenset({"sandbox"}),  # runs the real bot against the sandbox
    "bot/runner.py": frozenset({"web"}),  # `gugbot run` serves the directory beside the bot
    # /meeting ics attaches the very file the site serves (one renderer, so one UID and
    # SEQUENCE); web/calendar.py reads db/ and core/ only, so this brings no aiohttp in.
    "cogs/meetings/_ics.py": frozenset({"web"}),
}
EXCEPTION_FOLDERS: dict[str, frozenset[str]] = {
    "bot/demo/": frozenset({"sandbox"}),  # the demo stages a scene in the sandbox
}


def product_files() -> Iterator[Path]:
    """Every Python file of the product (migrations included), tests and benchmarks not."""
    for room in ROOMS:
        folder = ROOT / room
        if folder.is_dir():
            yield from sorted(folder.rglob("*.py"))


def imported_packages(source: str) -> set[str]:
    """Top-level names of every absolute import in ``source``, lazy ones included."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name.partition(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.partition(".")[0])
    return names


def allowed_extra(relative: str) -> frozenset[str]:
    extra = EXCEPTIONS.get(relative, frozenset())
    for folder, packages in EXCEPTION_FOLDERS.items():
        if relative.startswith(folder):
            extra |= packages
    return extra


def wrong_imports(path: Path) -> set[str]:
    relative = path.relative_to(ROOT).as_posix()
    room = relative.partition("/")[0]
    forbidden = FORBIDDEN[room] - allowed_extra(relative)
    return imported_packages(path.read_text(encoding="utf-8")) & forbidden


def test_the_walk_sees_every_room_of_the_product() -> None:
    seen = {path.relative_to(ROOT).parts[0] for path in product_files()}
    assert {"core", "db", "cogs", "bot", "sandbox"} <= seen


def test_imports_inside_functions_are_seen_too() -> None:
    source = "def later():\n    from discord import Embed\n    import sqlalchemy.orm\n"
    assert imported_packages(source) == {"discord", "sqlalchemy"}


@pytest.mark.parametrize("room", ROOMS)
def test_each_room_imports_only_the_rooms_below_it(room: str) -> None:
    offences = {
        path.relative_to(ROOT).as_posix(): sorted(wrong_imports(path))
        for path in product_files()
        if path.relative_to(ROOT).parts[0] == room and wrong_imports(path)
    }
    assert offences == {}


def test_no_product_file_is_over_500_lines() -> None:
    too_long = {
        path.relative_to(ROOT).as_posix(): count
        for path in product_files()
        if (count := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert too_long == {}
