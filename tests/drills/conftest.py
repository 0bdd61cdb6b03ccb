"""Drills (docs/security.md items 22-25) are slow and start processes and databases of their own: they run with
`make drills` (ICMC_DRILLS=1), not in the default test run."""

from __future__ import annotations

import os

import pytest


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if os.environ.get("ICMC_DRILLS") == "1":
        return
    skip = pytest.mark.skip(reason="a drill: run with `make drills`")
    for item in items:
        if "drill" in item.keywords:
            item.add_marker(skip)
