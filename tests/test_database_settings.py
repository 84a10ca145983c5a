"""Engine settings per database: SQLite in WAL mode with a busy timeout; a PostgreSQL pool sized
to gunicorn's threads."""

import pytest
from sqlalchemy import text

from portal import create_app
from portal.extensions import db


@pytest.mark.integration
def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(tmp_path):
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'wal.db'}"})
    with app.app_context():
        with db.engine.connect() as connection:
            assert connection.scalar(text("PRAGMA journal_mode")) == "wal"
            assert connection.scalar(text("PRAGMA busy_timeout")) == 5000
        db.engine.dispose()


def test_postgresql_pool_fits_the_gunicorn_threads(monkeypatch):
    monkeypatch.setenv("PORTAL_THREADS", "8")
    app = create_app({"SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://portal:portal@127.0.0.1/none"})
    options = app.config["SQLALCHEMY_ENGINE_OPTIONS"]
    assert options["pool_size"] >= 8 and options["pool_pre_ping"]
