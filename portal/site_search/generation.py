"""The search generation: a count of the changes to what searches answer (documents made
searchable by the sync worker, an index rebuilt, synonyms or best bets edited). Anything kept
because it depends on those — shared result pages and suggestions, each process's synonyms, best
bets and recent results (portal/site_search/service.py) — is kept while the count stays put, and dropped
the moment it moves. Each process reads it through its app's reader (portal/generation_reader.py),
at most every CHECK_SECONDS.
"""

import time

from sqlalchemy import update

from portal import generation_reader
from portal.extensions import db
from portal.generation_reader import CHECK_SECONDS  # noqa: F401 - how often a process reads the count
from portal.models import SearchGeneration, utcnow

_TABLE = SearchGeneration.__table__


def bump():
    """Count one change, in the caller's transaction (the caller commits)."""
    changed = db.session.execute(update(SearchGeneration).where(SearchGeneration.id == 1)
                                 .values(value=SearchGeneration.value + 1, changed_at=utcnow()))
    if changed.rowcount == 0:
        # The row is gone (a restored or emptied table): start again from the clock, so that no
        # process mistakes the new count for one it has already seen.
        db.session.add(SearchGeneration(id=1, value=time.time_ns()))
    reader().forget()


def reader(app=None):
    """This app's reading of the count: (value, changed_at)."""
    return generation_reader.reader("search_generation", _TABLE, app)


def current():
    """The count, as this process last read it (at most CHECK_SECONDS ago)."""
    return reader().get()[0]
