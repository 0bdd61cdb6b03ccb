"""gunicorn settings: `gunicorn -c config/gunicorn_conf.py config.wsgi:application` (bench/load.py uses them too).

Processes, not threads, carry the concurrency: `sync` workers, each serving one request at a time, 2 x cores + 1 of
them (5 on the 2-core reference machine). A worker takes a connection only when it is free, so the kernel's accept
queue hands each request to an idle process, and a request's Python code never waits for another request's thread
to give up the interpreter lock. With `gthread` workers (3 x 4 threads, the earlier setting) a busy worker kept
accepting connections and its threads took turns at the lock between their queries: at 100,000 cases, 50 users
and the same CPU per request, the p95 was 356-984 ms with gthread; with sync workers x 5 it was within 300 ms in
20 of 24 runs (170-260 ms; 361-617 ms when the machine was slower: docs/benchmarks.md, 6 December 2026).
Each process costs its own memory (about 110 MB), and a sync worker is held by a slow client for as long as it
sends or reads: in production the server runs behind a reverse proxy that buffers requests and
answers (nginx does by default), so that the workers only ever talk to the proxy on loopback.

Environment: ICMC_BIND (default 127.0.0.1:8000), ICMC_GUNICORN_WORKERS (default 2 x cores + 1),
ICMC_GUNICORN_WORKER_CLASS (default sync; gthread to serve threads), ICMC_GUNICORN_THREADS (gthread only, default
4). Access logs are off: paths carry only ids, but nothing needs them, and no request body (a searched name) is ever
logged.
"""

import gc
import multiprocessing
import os
from typing import Any

bind = os.environ.get("ICMC_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("ICMC_GUNICORN_WORKERS", 2 * multiprocessing.cpu_count() + 1))
worker_class = os.environ.get("ICMC_GUNICORN_WORKER_CLASS", "sync")
threads = int(os.environ.get("ICMC_GUNICORN_THREADS", "4")) if worker_class == "gthread" else 1
timeout = 60
graceful_timeout = 20
# Load the application once in the master, then fork: workers share its memory pages and start at once.
preload_app = True


def pre_fork(server: Any, worker: Any) -> None:
    """In the master, before each worker is forked: the objects of the loaded application (~165,000: modules, the
    URLconf with the API's schemas, compiled templates; icmc/web/warmup.py) are moved out of the cyclic garbage
    collector's reach (`gc.freeze`, as Python's documentation advises before fork). They live as long as the
    process; without this, each of a worker's full collections walked all of them again (~125 ms, stalling the
    request that triggered it, about one in thirty), and touching them copied the shared memory pages."""
    gc.freeze()

# Recycle a worker now and then, so that no slow growth of memory outlives a few thousand requests.
max_requests = 5000
max_requests_jitter = 500
accesslog = None
loglevel = os.environ.get("ICMC_GUNICORN_LOG_LEVEL", "warning")
