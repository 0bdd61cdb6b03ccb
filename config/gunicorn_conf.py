"""gunicorn settings: `gunicorn -c config/gunicorn_conf.py config.wsgi:application` (bench/load.py uses them too).

Threads, not processes, carry the concurrency: a request spends much of its time waiting for the database, and
each process costs its own memory (about 100 MB). On the 2-core reference machine 3 processes x 4 threads served
50 simulated users (docs/benchmarks.md). Environment: ICMC_BIND (default 127.0.0.1:8000), ICMC_GUNICORN_WORKERS
(default: cores + 1), ICMC_GUNICORN_THREADS (default 4). Access logs are off: paths carry only ids, but nothing
needs them, and no request body (a searched name) is ever logged.
"""

import multiprocessing
import os

bind = os.environ.get("ICMC_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("ICMC_GUNICORN_WORKERS", multiprocessing.cpu_count() + 1))
worker_class = "gthread"
threads = int(os.environ.get("ICMC_GUNICORN_THREADS", "4"))
timeout = 60
graceful_timeout = 20
# Load the application once in the master, then fork: workers share its memory pages and start at once.
preload_app = True
# Recycle a worker now and then, so that no slow growth of memory outlives a few thousand requests.
max_requests = 5000
max_requests_jitter = 500
accesslog = None
loglevel = os.environ.get("ICMC_GUNICORN_LOG_LEVEL", "warning")
