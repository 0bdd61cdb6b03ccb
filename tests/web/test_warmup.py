"""The warm-up done once where the application is loaded (gunicorn's master, before it forks the workers)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.template import engines

import icmc
from icmc.web.warmup import warm_up

ROOT = Path(icmc.__file__).parent.parent


@pytest.mark.django_db
def test_warm_up_compiles_every_project_template_without_touching_the_database(django_assert_num_queries):
    templates = sorted((ROOT / "icmc").glob("*/templates/**/*.html"))
    with django_assert_num_queries(0):  # it runs before the fork: a connection opened there would be shared
        compiled = warm_up()
    assert compiled == len(templates) > 40
    cached = engines["django"].engine.template_loaders[0].get_template_cache
    assert {"web/case_list.html", "web/case_detail.html", "web/base.html"} <= set(cached)


def test_loading_the_wsgi_application_warms_it_up():
    """What gunicorn's master does with preload_app: import config.wsgi (in a fresh interpreter)."""
    probe = ("import config.wsgi; from django.template import engines; "
             "print(len(engines['django'].engine.template_loaders[0].get_template_cache))")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"}
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=env,  # noqa: S603  # our own probe
                         capture_output=True, text=True, timeout=60, check=True)
    assert int(out.stdout.split()[-1]) == len(sorted((ROOT / "icmc").glob("*/templates/**/*.html")))


def test_gunicorn_forks_sync_workers_from_a_frozen_heap():
    """config/gunicorn_conf.py: 2 x cores + 1 sync workers, and before each fork the master's objects (the loaded,
    warmed-up application) are moved out of the garbage collector's reach, so that no worker walks them again."""
    probe = ("import gc, os, config.wsgi; from config import gunicorn_conf as c; before = gc.get_freeze_count(); "
             "c.pre_fork(None, None); print(c.worker_class, c.workers == 2 * os.cpu_count() + 1, before, "
             "gc.get_freeze_count() > 100_000)")
    env = {k: v for k, v in os.environ.items() if not k.startswith("ICMC_GUNICORN_")}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings"
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=env,  # noqa: S603  # our own probe
                         capture_output=True, text=True, timeout=60, check=True)
    assert out.stdout.split() == ["sync", "True", "0", "True"]
