"""Fixtures every test layer shares: where ../shared/ is, and whether tests needing it must run."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED_DIR = Path(os.environ.get("COTECHBOT_SHARED_DIR", REPO_ROOT.parent / "shared"))
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


SHARED_ABSENT = (
    f"{SHARED_DIR} is absent: the tests that check the bot against the real Discourse and Loomio contracts "
    "and the forum samples need the ../shared/ folder beside the project (or COTECHBOT_SHARED_DIR)"
)


def require_shared(relative: str = "") -> Path:
    """Return a path under ../shared/, skipping (or, in CI, failing) when that checkout is absent."""
    path = SHARED_DIR / relative
    if not path.exists():
        if IN_CI:
            pytest.fail(f"CI=true but {path} is absent. {SHARED_ABSENT}")
        pytest.skip(SHARED_ABSENT)
    return path


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Report every skip for a missing ../shared/ at one place, so the summary gives its reason once."""
    outcome = yield
    report = outcome.get_result()
    if report.skipped and isinstance(report.longrepr, tuple) and report.longrepr[2].endswith(SHARED_ABSENT):
        report.longrepr = (__file__, 0, SHARED_ABSENT)


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The read-only ../shared/ folder (reference contracts, forum samples, labelled dates)."""
    return require_shared()
