"""Shared pieces of the benchmark: where things are, the environment of the child processes, statistics."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
MANAGE = str(ROOT / "manage.py")
PG_HOST, PG_PORT, PG_USER = "127.0.0.1", "5432", "postgres"
SEED = 20260
# PostgreSQL databases are named <prefix>_<size>: set ICMC_BENCH_DB_PREFIX so that several people benchmarking on
# one server do not drop each other's databases.
DB_PREFIX = os.environ.get("ICMC_BENCH_DB_PREFIX", "icmc_bench")


@dataclass(frozen=True, kw_only=True)
class Target:
    """A database of one size to measure: its engine, size and the environment its processes run with."""

    database: str  # sqlite | postgres
    size: int
    env: dict[str, str]


def child_env(*, database_url: str, var_dir: Path) -> dict[str, str]:
    """The environment of every child process: development settings without DEBUG (DEBUG keeps every query
    in memory and slows requests down), the benchmark's own var directory (secret and audit keys)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST_"))}
    env.update({
        "ICMC_ENV": "development", "DEBUG": "0", "DATABASE_URL": database_url, "ICMC_VAR_DIR": str(var_dir),
        "LOG_LEVEL": "WARNING", "DJANGO_SETTINGS_MODULE": "config.settings", "PYTHONPATH": str(ROOT),
        "PYTHONDONTWRITEBYTECODE": "1",
    })
    return env


def run(args: Sequence[str], *, env: dict[str, str], quiet: bool = True, timeout: float = 3600) -> str:
    """Run a child process to completion; raise with its output if it fails. Returns its stdout."""
    done = subprocess.run(list(args), cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout,
                          check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args[:4])} failed ({done.returncode}):\n{done.stdout[-3000:]}\n"
                           f"{done.stderr[-3000:]}")
    if not quiet:
        sys.stdout.write(done.stdout)
    return done.stdout


def run_json(args: Sequence[str], *, env: dict[str, str], timeout: float = 3600) -> Any:
    """Run a child that prints one JSON document as its last line of output."""
    out = run(args, env=env, timeout=timeout)
    return json.loads(out.strip().splitlines()[-1])


def percentile(values: Sequence[float], p: float) -> float:
    """The p-th percentile (nearest rank) of `values`; NaN for none."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]
