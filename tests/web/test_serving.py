"""Serving the site: a port already taken is a warning, not a crash."""

from __future__ import annotations

import logging
import socket

import pytest
from aiohttp import ClientSession

from db.engine import Database
from web.app import create_app, start_site


async def test_a_taken_port_is_logged_and_the_caller_carries_on(
    db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with caplog.at_level(logging.WARNING, logger="gugbot.web"):
            runner = await start_site(create_app(db), "127.0.0.1", port)
    assert runner is None
    assert "could not listen" in caplog.text


async def test_the_site_answers_on_its_port(db: Database) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    runner = await start_site(create_app(db), "127.0.0.1", port)
    assert runner is not None
    try:
        async with ClientSession() as session, session.get(f"http://127.0.0.1:{port}/healthz") as response:
            assert response.status == 200
    finally:
        await runner.cleanup()
