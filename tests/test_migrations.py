"""`flask db upgrade` from an empty database, on SQLite and on PostgreSQL, gives the models' schema."""

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from portal import create_app
from portal.extensions import db
from tests.databases import drop_database


def _upgrade_and_compare(url):
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        tables = set(inspect(db.engine).get_table_names())
        assert set(db.metadata.tables) <= tables
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        db.engine.dispose()


@pytest.mark.integration
def test_upgrade_from_empty_on_sqlite(tmp_path):
    _upgrade_and_compare(f"sqlite:///{tmp_path / 'empty.db'}")


@pytest.fixture
def empty_postgresql(database_url):
    """URL of a new empty PostgreSQL database beside the test database, dropped afterwards."""
    if make_url(database_url).get_backend_name() != "postgresql":
        pytest.fail("TEST_DATABASE_URL must name a PostgreSQL database (make test sets it)")
    admin = create_engine(database_url, isolation_level="AUTOCOMMIT")
    name = f"{make_url(database_url).database}_empty"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(database_url).set(database=name).render_as_string(hide_password=False)
    finally:
        drop_database(admin, name)
        admin.dispose()


@pytest.mark.integration
def test_upgrade_from_empty_on_postgresql(empty_postgresql):
    _upgrade_and_compare(empty_postgresql)


def _clicks_move_between_log_rows_and_query_words(url):
    """0008 keys search clicks by the query's words and tab instead of a query log row, and back."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade(revision="0007")
        with db.engine.begin() as connection:
            connection.execute(text(
                "INSERT INTO search_query_log (id, at, query, kind, page, results, degraded, channel) VALUES"
                " (1, '2026-11-01 10:00:00', '失业登记', 'matter', 1, 3, false, 'page'),"
                " (2, '2026-11-01 11:00:00', '失业登记', NULL, 1, 5, false, 'page'),"
                " (3, '2026-11-01 12:00:00', '失业登记', 'matter', 1, 3, false, 'page')"))
            connection.execute(text(
                "INSERT INTO search_clicks (at, query_log_id, result_id, position) VALUES"
                " ('2026-11-01 10:00:05', 1, 'matter-3', 1), ('2026-11-01 11:00:05', 2, 'answer-2', 4)"))
        upgrade(revision="0008")
        with db.engine.begin() as connection:
            clicks = connection.execute(text("SELECT query, kind, result_id FROM search_clicks ORDER BY id")).all()
            expected = [("失业登记", "matter", "matter-3"), ("失业登记", None, "answer-2")]
            assert [tuple(row) for row in clicks] == expected
            connection.execute(text(
                "INSERT INTO search_clicks (at, query, kind, result_id, position) VALUES"
                " ('2026-11-01 12:30:00', '失业登记', 'matter', 'matter-4', 2),"
                " ('2026-11-01 09:00:00', '失业登记', 'matter', 'matter-5', 3),"
                " ('2026-11-01 12:30:00', '没人搜过', NULL, 'matter-1', 1)"))
        downgrade(revision="0007")
        with db.engine.begin() as connection:
            clicks = connection.execute(text("SELECT result_id, query_log_id FROM search_clicks ORDER BY id")).all()
        # the latest search of the same words and tab at or before the click, else any such search;
        # a click no logged search matches cannot be kept
        assert [tuple(row) for row in clicks] == [("matter-3", 1), ("answer-2", 2), ("matter-4", 3), ("matter-5", 3)]
        upgrade()
        db.engine.dispose()


@pytest.mark.integration
def test_search_clicks_migration_keeps_clicks_on_sqlite(tmp_path):
    _clicks_move_between_log_rows_and_query_words(f"sqlite:///{tmp_path / 'clicks.db'}")


@pytest.mark.integration
def test_search_clicks_migration_keeps_clicks_on_postgresql(empty_postgresql):
    _clicks_move_between_log_rows_and_query_words(empty_postgresql)
