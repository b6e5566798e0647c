"""gunicorn settings for recruit: `gunicorn -c deploy/gunicorn.conf.py wsgi:app`.
Every value can be changed from the environment, so one file serves the
Procfile, the systemd units and the scale-out test."""

import gc
import multiprocessing
import os

bind = os.environ.get("BIND", "127.0.0.1:" + os.environ.get("PORT", "8000"))
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("WEB_THREADS", "1"))
timeout = int(os.environ.get("WEB_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so a slow leak never grows without bound.
max_requests = int(os.environ.get("WEB_MAX_REQUESTS", "2000"))
max_requests_jitter = 200
accesslog = os.environ.get("ACCESS_LOG", "-")
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info")
# The web process never runs periodic jobs: the scheduler process does (flask jobs scheduler).
raw_env = ["RECRUIT_NO_TICKER=1"]
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def post_worker_init(worker):
    """The app's own objects (modules, mapped classes, catalogues: about a
    quarter of a million) live as long as the worker: frozen out of the
    collector's way, a full collection walks what requests made since, about
    5 ms instead of over 100 (a pause some request would wait through)."""
    gc.collect()
    gc.freeze()
