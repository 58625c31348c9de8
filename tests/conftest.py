import os
from pathlib import Path

import pytest
from django.db import connection

# The local object store (moto) and a bucket per test, for every test that asks.
from tests.object_store import object_store_url, s3_private  # noqa: F401

PROJECT_DIR = Path(__file__).resolve().parent.parent
REFERENCE_STANDARD = PROJECT_DIR / "scoring" / "standards" / "fairrecruit-reference-1.0.yaml"

_DATABASE_LABELS = {"postgresql": "PostgreSQL", "sqlite": "SQLite"}


def pytest_collection_modifyitems(config, items):
    if connection.vendor == "postgresql":
        # Run once, in the SQLite pass: what does not touch the database, and the browser
        # journeys, which drive the pages (the rest of the suite covers PostgreSQL's ways).
        once = pytest.mark.skip(
            reason="does not use the test database; the SQLite run of `make test` runs it"
        )
        pages = pytest.mark.skip(
            reason="a browser journey tests the pages; the SQLite run of `make test` runs it"
        )
        for item in items:
            if "outside_the_database" in item.keywords:
                item.add_marker(once)
            elif "browser" in item.keywords:
                item.add_marker(pages)
        return
    skip = pytest.mark.skip(
        reason=f"needs PostgreSQL (row locks, concurrent transactions); this run is on "
        f"{_DATABASE_LABELS.get(connection.vendor, connection.vendor)}; `make test-pg` runs it"
    )
    for item in items:
        if "postgres_only" in item.keywords:
            item.add_marker(skip)


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """One line per run naming the database, collected by `make test` into its summary."""
    stats = terminalreporter.stats
    failed = len(stats.get("failed", [])) + len(stats.get("error", []))
    line = (
        f"{_DATABASE_LABELS.get(connection.vendor, connection.vendor)}: "
        f"{len(stats.get('passed', []))} passed, {failed} failed, {len(stats.get('skipped', []))} skipped"
    )
    no_browser = [
        report
        for report in stats.get("skipped", [])
        if "no browser for the browser tests" in str(getattr(report, "longrepr", ""))
    ]
    if no_browser:
        line += (
            f" ({len(no_browser)} browser tests skipped: no chromium/chromedriver found; "
            "install Debian's chromium and chromium-driver)"
        )
    terminalreporter.write_line(line)
    target = os.environ.get("FAIRRECRUIT_TEST_SUMMARY")
    if target:
        Path(target).write_text(line + "\n", encoding="utf-8")


@pytest.fixture
def reference_standard_path() -> Path:
    return REFERENCE_STANDARD


@pytest.fixture(autouse=True)
def _cache_reset():
    """Each test starts with an empty per-process cache: a test's transaction never
    commits, so the invalidation that runs on commit (status answers, the home page's
    count) would not drop what an earlier test cached."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _language_reset():
    """Each test starts in the default language: a page asked for in French leaves the
    thread's language active, which tests later in the same run would otherwise inherit."""
    from django.utils import translation

    yield
    translation.deactivate()
