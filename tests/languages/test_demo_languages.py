"""`gugbot demo --language pt-BR` plays the whole story in Brazilian Portuguese."""

from __future__ import annotations

import re
from pathlib import Path

from bot.demo.story import STORY
from tests.shell.test_demo import run_demo


async def test_demo_plays_the_whole_story_in_portuguese(tmp_path: Path) -> None:
    status, output = await run_demo(tmp_path, "--language", "pt-BR")
    assert status == 0, output
    for step in STORY:
        assert f"✔ {step.title}" in output, f"no success line for “{step.title}”\n{output}"
    # Replies, channel posts and DMs, with dates, durations and counts written by Babel.
    assert "Grupos mais próximos" in output
    # "Horário local: terça-feira, 1 de dezembro de 2026 02:44 (Horário da Argentina)"
    assert re.search(r"Horário local: [a-zç-]+, \d{1,2} de [a-zç]+ de \d{4} \d{2}:\d{2}", output)
    assert "Duração: 2 horas" in output
    assert "Lembrete:" in output and "lista de" in output
    assert "Scheduled" not in output and "Reminder:" not in output
