"""The search generation: a count of the changes to what searches answer (documents made
searchable by the sync worker, an index rebuilt, synonyms or best bets edited). Anything kept
because it depends on those — shared result pages, each process's synonyms and best bets — is
kept while the count stays put, and dropped the moment it moves.
"""

import time

from flask import current_app
from sqlalchemy import select, update

from portal.extensions import db
from portal.models import SearchGeneration, utcnow

# Each process reads the count at most this often: a change reaches every page within it.
CHECK_SECONDS = 0.2
_read = {}  # app id → (monotonic time read, value)


def bump():
    """Count one change, in the caller's transaction (the caller commits)."""
    changed = db.session.execute(update(SearchGeneration).where(SearchGeneration.id == 1)
                                 .values(value=SearchGeneration.value + 1, changed_at=utcnow()))
    if changed.rowcount == 0:
        # The row is gone (a restored or emptied table): start again from the clock, so that no
        # process mistakes the new count for one it has already seen.
        db.session.add(SearchGeneration(id=1, value=time.time_ns()))
    _read.pop(id(current_app._get_current_object()), None)


def current():
    """The count, as this process last read it (at most CHECK_SECONDS ago)."""
    key, now = id(current_app._get_current_object()), time.monotonic()
    read = _read.get(key)
    if read and now - read[0] < CHECK_SECONDS:
        return read[1]
    value = db.session.scalar(select(SearchGeneration.value).where(SearchGeneration.id == 1)) or 0
    _read[key] = (now, value)
    return value
