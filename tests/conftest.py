"""Fixtures every test layer shares: where ../shared/ is, and whether tests needing it must run."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED_DIR = Path(os.environ.get("COTECHBOT_SHARED_DIR", REPO_ROOT.parent / "shared"))
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def require_shared(relative: str = "") -> Path:
    """Return a path under ../shared/, skipping (or, in CI, failing) when that checkout is absent."""
    path = SHARED_DIR / relative
    if not path.exists():
        message = (
            f"{path} is absent: the reference contracts and samples live beside the project in ../shared/"
        )
        if IN_CI:
            pytest.fail(f"CI=true but {message}")
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The read-only ../shared/ folder (reference contracts, forum samples, labelled dates)."""
    return require_shared()
