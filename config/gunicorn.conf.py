"""gunicorn settings for the web app: ``gunicorn -c config/gunicorn.conf.py``.

Each setting can be changed from the environment (or on the command line) without editing
this file. The scheduler is not started here: run exactly one ``flask --app tracker scheduler``
beside it.
"""

import os

wsgi_app = "tracker:create_app()"
# Behind a reverse proxy (which ends TLS) on the same machine.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Sync workers: each request holds one worker, so several keep the site answering while
# one is busy. About two per core.
workers = int(os.environ.get("WEB_CONCURRENCY", "4"))
timeout = 30
graceful_timeout = 20
# Requests larger than the app accepts are refused before reaching a worker.
limit_request_line = 8190
accesslog = "-"
errorlog = "-"
logger_class = "tracker.logs.AccessLogger"
