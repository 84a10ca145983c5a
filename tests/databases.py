"""Dropping the PostgreSQL databases tests create."""

import time

from sqlalchemy import text
from sqlalchemy.exc import ProgrammingError

DROP_ATTEMPTS = 10


def drop_database(admin, name):
    """Drop database `name` (admin: an AUTOCOMMIT engine), ending its sessions. An autovacuum
    worker busy on the new tables runs as the superuser, whom our role may not end: wait for it."""
    for attempt in range(DROP_ATTEMPTS):
        try:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            return
        except ProgrammingError:
            if attempt == DROP_ATTEMPTS - 1:
                raise
            time.sleep(1)
