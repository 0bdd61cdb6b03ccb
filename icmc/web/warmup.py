"""Work every web process would otherwise do on its first request, done once where the application is loaded.

gunicorn loads the application in its master process and forks the workers from it (config/gunicorn_conf.py,
preload_app): what is done here is done once, and every worker, including those that replace a recycled worker
later, starts with it. Measured on the case list: a fresh process's first request took ~420 ms of CPU (the
URLconf with the API's ~300 schemas, and the templates compiled), the next ones ~30 ms. Nothing here touches the
database (a connection must never be shared across a fork)."""

from __future__ import annotations

from pathlib import Path

from django.apps import apps
from django.template import engines
from django.template.loader import get_template
from django.urls import get_resolver


def warm_up() -> int:
    """Import the URLconf (and with it every view and API schema) and compile the project's own templates (the
    cached template loader keeps them). Returns how many templates were compiled."""
    get_resolver().url_patterns  # noqa: B018  # the property imports the URLconf
    engine = engines["django"]
    compiled = 0
    for config in apps.get_app_configs():
        if not config.name.startswith("icmc."):
            continue
        root = Path(config.path) / "templates"
        for path in sorted(root.rglob("*.html")):
            get_template(path.relative_to(root).as_posix(), using=engine.name)
            compiled += 1
    return compiled
