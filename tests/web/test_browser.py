"""A real browser (headless Chromium through Selenium) against the running bot's site.

The bot runs on the sandbox as `gugbot run` would, the site beside it on a free port; the
visitor searches with a typo, reaches the group, follows a meeting and downloads its .ics;
every page fits a 360-pixel phone and passes axe-core without serious or critical issues.
"""

from __future__ import annotations

import asyncio
import json
import shutil
import socket
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from icalendar import Calendar
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver

from bot.runner import served_site
from core.geography import gazetteer
from db.meetings import NewMeeting, create_meeting
from db.talks import decide_talk, propose_talk
from tests.support.group_steps import active_group, configure
from tests.support.gug import GugFactory

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / ".cache" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "docs"
PHONE_WIDTH = 360
# How long a download may take to land on disk.
DOWNLOAD_SECONDS = 10.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[WebDriver]:
    binary, driver = shutil.which("chromium"), shutil.which("chromedriver")
    assert binary and driver, "install Debian's chromium and chromium-driver (.ci/run does)"
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for flag in (
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage", f"--user-data-dir={tmp_path / 'profile'}",
        "--window-size=1024,900",
    ):
        options.add_argument(flag)
    options.add_experimental_option(
        "prefs", {"download.default_directory": str(tmp_path / "downloads")}
    )
    chrome = webdriver.Chrome(options=options, service=Service(executable_path=driver))
    chrome.execute_cdp_cmd(
        "Browser.setDownloadBehavior",
        {"behavior": "allow", "downloadPath": str(tmp_path / "downloads")},
    )
    try:
        yield chrome
    finally:
        chrome.quit()


@pytest.fixture
async def site(make_gug: GugFactory) -> AsyncIterator[str]:
    """The network with GUG Rosario in a public server, and the site serving it."""
    # Loaded before the bot starts, so its readiness does not wait on the gazetteer.
    await asyncio.to_thread(gazetteer)
    gug = await make_gug()
    await configure(gug)
    group_id = await active_group(gug, "alice", "GUG Rosario", "Rosario", "Argentina")
    await active_group(gug, "bob", "GUG São Paulo", "São Paulo", "Brasil")
    reply = await gug.sb.command(
        "admin", "setup directory", public=True, invite_url="https://discord.gg/gugnet"
    )
    assert "public directory" in reply.text, reply.text
    now = gug.clock.now()
    alice = gug.sb.world.user("alice").id
    meeting = await create_meeting(
        gug.db,
        NewMeeting(
            group_id=group_id, created_by=alice, title="Charlas de diciembre", kind="technical",
            starts_at=now + timedelta(days=9), duration_minutes=120, venue="Bv. Oroño 1000",
        ),
        default_offsets=[],
        now=now,
    )
    talk = await propose_talk(gug.db, meeting.id, alice, "Gradle sin miedo", "", now=now)
    await decide_talk(gug.db, talk.id, accept=True, decided_by=alice, now=now)
    port = free_port()
    settings = gug.settings
    settings = replace(settings, web=replace(settings.web, port=port))
    async with served_site(settings, gug.db, gug.bot) as runner:
        assert runner is not None
        yield f"http://127.0.0.1:{port}"


def fits_phone(chrome: WebDriver) -> bool:
    return bool(
        chrome.execute_script(
            "return document.documentElement.scrollWidth <= window.innerWidth"
        )
    )


def serious_violations(chrome: WebDriver) -> list[str]:
    chrome.execute_script(AXE.read_text(encoding="utf-8"))
    results = chrome.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document).then(r => done(JSON.stringify(r.violations)));"
    )
    return [
        f"{item['id']}: {item['help']}"
        for item in json.loads(results)
        if item["impact"] in {"serious", "critical"}
    ]


def wait_for_download(directory: Path) -> Path:
    deadline = time.monotonic() + DOWNLOAD_SECONDS
    while time.monotonic() < deadline:
        done = [path for path in directory.glob("*.ics") if path.stat().st_size > 0]
        if done:
            return done[0]
        time.sleep(0.05)
    raise AssertionError(f"no .ics downloaded into {directory}")


def visit(chrome: WebDriver, base: str, tmp_path: Path) -> dict[str, object]:
    """Play the visitor's path; return what the test checks."""
    seen: dict[str, object] = {"violations": {}, "fits": {}}
    chrome.get(f"{base}/")
    SCREENSHOTS.mkdir(exist_ok=True)
    chrome.save_screenshot(str(SCREENSHOTS / "directory.png"))
    box = chrome.find_element(By.ID, "q")
    box.send_keys("rosaio")
    box.submit()
    chrome.find_element(By.LINK_TEXT, "GUG Rosario").click()
    seen["group_title"] = chrome.find_element(By.TAG_NAME, "h1").text
    chrome.save_screenshot(str(SCREENSHOTS / "group.png"))
    chrome.find_element(By.LINK_TEXT, "Charlas de diciembre").click()
    seen["meeting_title"] = chrome.find_element(By.TAG_NAME, "h1").text
    chrome.find_element(By.PARTIAL_LINK_TEXT, ".ics").click()
    seen["ics"] = wait_for_download(tmp_path / "downloads").read_bytes()
    chrome.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": PHONE_WIDTH, "height": 740, "deviceScaleFactor": 1, "mobile": True},
    )
    meeting_url = chrome.current_url
    for name, url in {
        "directory": f"{base}/",
        "search": f"{base}/?q=rio+de+janeiro",
        "group": f"{base}/groups/gug-rosario",
        "meeting": meeting_url,
        "not found": f"{base}/groups/nowhere",
    }.items():
        chrome.get(url)
        seen["fits"][name] = fits_phone(chrome)  # type: ignore[index]
        seen["violations"][name] = serious_violations(chrome)  # type: ignore[index]
    return seen


async def test_visitor_finds_rosario_with_a_typo_and_takes_a_meeting_home(
    site: str, browser: WebDriver, tmp_path: Path
) -> None:
    assert AXE.exists(), "axe-core is installed by `make test` / .ci/run (npm, into .cache/)"
    seen = await asyncio.to_thread(visit, browser, site, tmp_path)
    assert seen["group_title"] == "GUG Rosario"
    assert seen["meeting_title"] == "Charlas de diciembre"
    (event,) = Calendar.from_ical(seen["ics"]).walk("VEVENT")
    assert str(event["SUMMARY"]) == "GUG Rosario: Charlas de diciembre"
    assert "Gradle sin miedo" in str(event["DESCRIPTION"])
    assert seen["fits"] == dict.fromkeys(seen["fits"], True)  # type: ignore[arg-type]
    assert seen["violations"] == {key: [] for key in seen["violations"]}  # type: ignore[union-attr]
