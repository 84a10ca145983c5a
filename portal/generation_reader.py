"""A process's throttled reading of a one-row change counter (the content generation, the search
generation): what it keeps because it depends on the counter is kept while the count stays put.

Each app keeps one reader per counter in `app.extensions` and reads the row at most every
CHECK_SECONDS, so a change made by another process reaches this one within that interval (a change
made here is seen at once: the writer calls `forget()` once it is committed or counted).

The reader also holds the app's store of what was computed from the data the counter covers
(`kept`): emptied when the count moves, so a publish or an import shows at once, and never shared
between two apps of one process (each test app, each database, sees its own).
"""

import threading
import time

from flask import current_app, has_app_context
from sqlalchemy import select

CHECK_SECONDS = 0.2
_NOTHING = object()


class _Slot:
    """One kept value: computed by one thread at a time, (version, value) replaced together."""

    __slots__ = ("entry", "lock")

    def __init__(self):
        self.lock = threading.Lock()
        self.entry = (_NOTHING, None)


class GenerationReader:
    """This app's last reading of a counter row (id 1, columns value and changed_at):
    (value, changed_at), read at most every CHECK_SECONDS."""

    def __init__(self, app, table):
        self.app = app
        self.table = table
        self.lock = threading.Lock()
        self.read_at, self.value = -CHECK_SECONDS, None
        self.kept_for, self.slots = _NOTHING, {}  # the count the slots were computed under, key → _Slot
        self.lasting = {}  # key → _Slot, whatever the count

    def get(self):
        now = time.monotonic()
        if now - self.read_at < CHECK_SECONDS and self.value is not None:
            return self.value
        with self.lock:
            if now - self.read_at >= CHECK_SECONDS or self.value is None:
                self.value = self._read()
                self.read_at = time.monotonic()
        return self.value

    def forget(self):
        """Read the row again next time (this process has just changed it)."""
        self.value = None

    def kept(self, key, compute, version=None, lasting=False):
        """compute(), kept by this app until the count moves (or `version` differs from the one it
        was computed with: for what the count does not cover, e.g. usage tables). lasting: kept
        across moves of the count, computed again only when `version` differs (data the count never
        covers: a file, the query log). One thread computes a key at a time; the others asking for it
        meanwhile wait and share its result."""
        count = None if lasting else self.get()[0]
        with self.lock:
            if lasting:
                slots = self.lasting
            else:
                if self.kept_for != count:
                    self.kept_for, self.slots = count, {}
                slots = self.slots
            slot = slots.get(key)
            if slot is None:
                slot = slots[key] = _Slot()
        entry = slot.entry
        if entry[0] is _NOTHING or entry[0] != version:
            with slot.lock:
                entry = slot.entry
                if entry[0] is _NOTHING or entry[0] != version:
                    entry = slot.entry = (version, compute())
        return entry[1]

    def _read(self):
        from portal.extensions import db

        if has_app_context() and current_app._get_current_object() is self.app:
            return self._select(db)
        with self.app.app_context():
            try:
                return self._select(db)
            finally:
                db.session.remove()

    def _select(self, db):
        table = self.table
        row = db.session.execute(select(table.c.value, table.c.changed_at).where(table.c.id == 1)).first()
        return (row.value, row.changed_at) if row else (0, None)


def reader(name, table, app=None):
    """The app's reader of counter `name` (its key in app.extensions), made on first use."""
    app = app or current_app._get_current_object()
    found = app.extensions.get(name)
    if found is None:
        found = app.extensions.setdefault(name, GenerationReader(app, table))
    return found
