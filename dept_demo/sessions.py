"""Server-side sign-ins of the demo platform in a small SQLite file, so a back-channel logout
(a request from Keycloak, without the browser's cookie) can end them."""

import secrets
import sqlite3
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS sessions (
    id TEXT PRIMARY KEY,
    subject TEXT NOT NULL,
    keycloak_session_id TEXT,
    display_name TEXT NOT NULL,
    id_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    ended_at TEXT
);
CREATE INDEX IF NOT EXISTS sessions_sid ON sessions (keycloak_session_id);
CREATE INDEX IF NOT EXISTS sessions_subject ON sessions (subject);
"""


def _now():
    return datetime.now(UTC).isoformat(timespec="seconds")


class SessionStore:
    def __init__(self, path):
        self.path = path
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        with closing(self._connect()) as connection, connection:
            connection.executescript(SCHEMA)

    def _connect(self):
        connection = sqlite3.connect(self.path, timeout=10)
        connection.row_factory = sqlite3.Row
        return connection

    def start(self, identity, id_token):
        session_id = secrets.token_urlsafe(32)
        with closing(self._connect()) as connection, connection:
            connection.execute(
                "INSERT INTO sessions (id, subject, keycloak_session_id, display_name, id_token, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (session_id, identity.subject, identity.keycloak_session_id, identity.display_name, id_token, _now()),
            )
        return session_id

    def active(self, session_id):
        """The active sign-in with this id (a row with display_name and id_token), or None."""
        if not session_id:
            return None
        with closing(self._connect()) as connection:
            return connection.execute(
                "SELECT * FROM sessions WHERE id = ? AND ended_at IS NULL", (session_id,)
            ).fetchone()

    def end(self, session_id):
        with closing(self._connect()) as connection, connection:
            connection.execute("UPDATE sessions SET ended_at = ? WHERE id = ? AND ended_at IS NULL",
                               (_now(), session_id))

    def end_for_logout(self, keycloak_session_id, subject):
        """Ends every sign-in of the Keycloak session (or of the subject when no session is named)."""
        column, value = ("keycloak_session_id", keycloak_session_id) if keycloak_session_id else ("subject", subject)
        with closing(self._connect()) as connection, connection:
            cursor = connection.execute(
                f"UPDATE sessions SET ended_at = ? WHERE {column} = ? AND ended_at IS NULL",  # noqa: S608 - fixed names
                (_now(), value),
            )
            return cursor.rowcount
