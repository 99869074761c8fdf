"""Test support for the portal in a real browser: Debian's Chromium driven by Playwright.

Test modules take the fixtures by importing them (`from devstack.browser import browser, playwright`);
screenshots go to build/test-artifacts/portal/.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page, sync_playwright

from devstack.users import demo_password

ARTIFACTS = Path(__file__).parents[2] / "build" / "test-artifacts" / "portal"
CHROMIUM = "/usr/bin/chromium"
# the flags that work on these machines (see ../shared/docs/platform.md); Playwright adds its own profile dir
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def playwright():  # type: ignore[no-untyped-def]
    with sync_playwright() as driver:
        yield driver


@pytest.fixture
def browser(playwright) -> Iterator[BrowserContext]:  # type: ignore[no-untyped-def]
    """A fresh Chromium with a fresh profile (user-data-dir) for every test."""
    with tempfile.TemporaryDirectory(prefix="zorgketen-chromium-") as profile:
        context = playwright.chromium.launch_persistent_context(profile, executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS, locale="nl-NL")
        context.set_default_timeout(15_000)
        yield context
        context.close()


def screenshot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def log_in(page: Page, gebruikersnaam: str) -> None:
    page.get_by_label("Gebruikersnaam").fill(gebruikersnaam)
    page.get_by_label("Wachtwoord").fill(demo_password(gebruikersnaam))
    page.get_by_role("button", name="Inloggen").click()


def assert_accessible(page: Page) -> None:
    """What every page promises: one h1, the landmarks, a label for every field, headed tables."""
    problems = page.evaluate(
        """() => {
        const problems = [];
        if (document.documentElement.lang !== "nl") problems.push("html lang is not nl");
        if (document.querySelectorAll("h1").length !== 1) problems.push("not exactly one h1");
        if (!document.querySelector("main")) problems.push("no main landmark");
        if (!document.querySelector("header")) problems.push("no header landmark");
        for (const el of document.querySelectorAll("input:not([type=hidden]), select, textarea")) {
            const labelled = (el.id && document.querySelector(`label[for="${el.id}"]`)) || el.closest("label") || el.getAttribute("aria-label");
            if (!labelled) problems.push(`field without label: ${el.name}`);
        }
        for (const table of document.querySelectorAll("table")) {
            if (!table.querySelector("thead th[scope=col]")) problems.push("table without column headers");
            if (!table.querySelector("caption")) problems.push("table without caption");
        }
        return problems;
    }"""
    )
    assert problems == [], f"{page.url}: {problems}"
