"""Browser tests: Debian's Chromium (``/usr/bin/chromium``), headless, driven through
``/usr/bin/chromedriver`` by selenium, against a simulator served on loopback.

``.ci/run`` installs ``chromium`` and ``chromium-driver``; without them these tests fail (they
never skip). Screenshots go to ``$QBO_SIM_ARTIFACTS`` (default ``artifacts/screenshots/``,
git-ignored); ``QBO_SIM_DOCS_SCREENSHOTS=1`` also copies the ones docs/control-plane.md shows
into ``docs/images/``. Waits are selenium's explicit waits for a condition on the page (a
bound on how long to wait, not an assertion about time).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import WebDriverWait

from qbo_sim import Clock, Simulator

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
ROOT = Path(__file__).resolve().parents[2]
DOCS_IMAGES = ROOT / "docs" / "images"
START = datetime(2026, 3, 2, 17, 0, 0, tzinfo=UTC)
#: how long a wait for the page may last before the test fails
WAIT_SECONDS = 20
#: this closed network refuses Chromium's background connections: turn them off
FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-default-apps",
    "--window-size=1400,900",
)


def artifacts_dir() -> Path:
    folder = Path(os.environ.get("QBO_SIM_ARTIFACTS") or ROOT / "artifacts" / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="session")
def browser() -> Iterator[WebDriver]:
    missing = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not p.exists()]
    assert not missing, (
        f"browser tests need Debian's chromium and chromium-driver ({', '.join(missing)} "
        "missing): apt-get install -y chromium chromium-driver (.ci/run does)"
    )
    profile = tempfile.mkdtemp(prefix="qbo-sim-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (*FLAGS, f"--user-data-dir={profile}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def served() -> Iterator[tuple[Simulator, str]]:
    """A simulator with two companies on a loopback port, the clock frozen."""
    sim = Simulator(seed=3, clock=Clock(START))
    sim.create_company("sample", name="Craig's Design and Landscaping")
    sim.default_realm = sim.create_company("sample", name="Amy's Bird Sanctuary")
    with sim.serve(port=0) as base:
        yield sim, base
    assert sim.errors == []


@pytest.fixture
def wait(browser: WebDriver) -> WebDriverWait[WebDriver]:
    browser.set_window_size(1400, 900)  # a desktop window, whatever the test before chose
    return WebDriverWait(browser, WAIT_SECONDS)


@pytest.fixture
def screenshot(browser: WebDriver) -> Callable[..., Path]:
    def take(name: str, *, docs: bool = False) -> Path:
        path = artifacts_dir() / f"{name}.png"
        browser.save_screenshot(str(path))
        if docs and os.environ.get("QBO_SIM_DOCS_SCREENSHOTS"):
            DOCS_IMAGES.mkdir(parents=True, exist_ok=True)
            shutil.copy(path, DOCS_IMAGES / path.name)
        return path

    return take
