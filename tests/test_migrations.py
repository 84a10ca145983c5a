"""`flask db upgrade` from an empty database, on SQLite and on PostgreSQL, gives the models' schema."""

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from portal import create_app
from portal.extensions import db


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


@pytest.mark.integration
def test_upgrade_from_empty_on_postgresql(database_url):
    if make_url(database_url).get_backend_name() != "postgresql":
        pytest.fail("TEST_DATABASE_URL must name a PostgreSQL database (make test sets it)")
    admin = create_engine(database_url, isolation_level="AUTOCOMMIT")
    name = f"{make_url(database_url).database}_empty"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        _upgrade_and_compare(make_url(database_url).set(database=name).render_as_string(hide_password=False))
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
