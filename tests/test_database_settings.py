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


def test_insert_rows_writes_every_row_and_fails_as_sqlalchemy_does(app):
    """PostgreSQL gets a COPY (psycopg), other databases an executemany: the same rows either way,
    and a refused row fails the batch with SQLAlchemy's error, as an INSERT would."""
    from datetime import datetime

    from sqlalchemy import select
    from sqlalchemy.exc import SQLAlchemyError

    from portal.database import insert_rows
    from portal.models import QueryLog

    at = datetime(2026, 12, 1, 18, 0, 0, 123456)
    rows = [{"at": at, "query": f"营业执照 '\\t\n{number}", "kind": None, "page": 1, "results": number,
             "took_ms": None, "degraded": number == 2, "channel": "page"} for number in range(3)]
    with db.engine.begin() as connection:
        insert_rows(connection, QueryLog.__table__, rows)
        insert_rows(connection, QueryLog.__table__, [])
    stored = db.session.execute(select(QueryLog.at, QueryLog.query, QueryLog.kind, QueryLog.results, QueryLog.took_ms,
                                       QueryLog.degraded).order_by(QueryLog.results)).all()
    assert [tuple(row) for row in stored] == [
        (at, row["query"], None, row["results"], None, row["degraded"]) for row in rows]

    with pytest.raises(SQLAlchemyError), db.engine.begin() as connection:
        insert_rows(connection, QueryLog.__table__, [{**rows[0], "query": "另一个"}, {**rows[0], "query": None}])
    assert db.session.scalar(select(db.func.count(QueryLog.id))) == 3
