"""gunicorn settings for the portal, used by scripts/run-portal.sh and by the benchmarks (which
serve their hello-world baseline with the same settings).

Most of a request's time is spent waiting for Elasticsearch or PostgreSQL, so each of the two
worker processes runs 8 threads: with 4, sixteen concurrent searches queued inside gunicorn
while Elasticsearch still had room (bench/search_latency.py, concurrency 16: p95 1.54× raw with
4 threads, 1.39–1.45× with 8; 4 workers × 2 threads was worse, 2.04×).
"""

import os

import gunicorn.http.wsgi

workers = int(os.environ.get("PORTAL_WORKERS", "2"))
threads = int(os.environ.get("PORTAL_THREADS", "8"))

# One access log, the portal's own (portal/request_logging.py: method, path without the query string,
# status, time): gunicorn's would log full query strings, which carry personal data and OIDC codes.
accesslog = None

# Request lines up to gunicorn's maximum reach the portal, which answers addresses over 4096 bytes with its
# own 414 page in the user's language (portal/errors.py); only longer ones get gunicorn's plain one.
limit_request_line = 8190

# No product banner: answers say "Server: portal" instead of "Server: gunicorn" (the Response reads this
# module global whenever it starts an answer).
gunicorn.http.wsgi.SERVER = "portal"
