"""gunicorn for production, behind deploy/nginx.conf: `gunicorn -c deploy/gunicorn.conf.py
siteconf.wsgi`.

Sync workers are right here because nginx hands them only whole requests and takes their
answers at once: a worker is busy for as long as Django works, never for as long as a client
dawdles. Without nginx in front, two slow clients would hold two sync workers.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
# A request that takes longer than this is killed (its worker replaced); the database's own
# timeouts (DATABASE_STATEMENT_TIMEOUT, 10 s) answer the 503 page well before.
timeout = 30
graceful_timeout = 30
# Workers are replaced now and then, so a slow leak never grows for long.
max_requests = 2000
max_requests_jitter = 200
# Only nginx on this host may say the request was HTTPS (X-Forwarded-Proto).
forwarded_allow_ips = "127.0.0.1"
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190
accesslog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(B)s %(M)sms request_id=%({x-request-id}o)s'
