"""With the database unreachable (PostgreSQL stopped or restarting), pages answer the portal's own 503 page
and the API a JSON 503, never a 500; nothing is half-written (issue 11, faults under load)."""

import pytest

from portal import create_app

# Port 9 (discard): nothing listens, so every connection is refused as when PostgreSQL is stopped.
UNREACHABLE = "postgresql+psycopg://portal:portal@127.0.0.1:9/portal"


@pytest.fixture
def portal_without_database(app):
    return create_app({"SQLALCHEMY_DATABASE_URI": UNREACHABLE, "PUBLIC_PAGE_CACHE_SECONDS": 0,
                       "SEARCH_INDEX_PREFIX": app.config["SEARCH_INDEX_PREFIX"], "WTF_CSRF_ENABLED": False})


@pytest.mark.parametrize("path", ["/matters", "/answers", "/messages", "/matters/NO-SUCH-CODE"])
def test_pages_answer_a_clear_503(portal_without_database, path):
    response = portal_without_database.test_client().get(path)
    assert response.status_code == 503
    page = response.get_data(as_text=True)
    assert "数据库暂时无法连接" in page and "Traceback" not in page


def test_api_answers_json_503(portal_without_database):
    response = portal_without_database.test_client().get("/api/v1/matters")
    assert response.status_code == 503
    assert response.json["error"]["code"] == 503


def test_health_still_answers(portal_without_database):
    client = portal_without_database.test_client()
    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 503


def test_shared_public_pages_pass_the_outage_on_too(app):
    """The public page cache reads the content generation before the application runs: an unreachable
    database there gave gunicorn's bare 500 (bench/faults.py, scenario pg)."""
    cached = create_app({"SQLALCHEMY_DATABASE_URI": UNREACHABLE, "PUBLIC_PAGE_CACHE_SECONDS": 60,
                         "SEARCH_INDEX_PREFIX": app.config["SEARCH_INDEX_PREFIX"]})
    response = cached.test_client().get("/matters")
    assert response.status_code == 503
    assert "数据库暂时无法连接" in response.get_data(as_text=True)


def test_a_connection_closed_by_the_database_does_not_break_the_teardown(app, database_url):
    """PostgreSQL stopping closes the connections in use: the session's rollback at the end of the request
    then fails, and that must not escape the application (it became gunicorn's 500)."""
    if not database_url.startswith("postgresql"):
        pytest.skip("PostgreSQL closes connections from the server side")
    from sqlalchemy import create_engine, text

    from portal.extensions import db

    with app.app_context():
        backend = db.session.scalar(text("SELECT pg_backend_pid()"))  # a transaction is open now
        killer = create_engine(database_url)
        with killer.connect() as connection:
            connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": backend})
        killer.dispose()
    # leaving the context ran the teardown without raising


def test_a_signed_in_person_gets_the_503_page_too(portal_without_database):
    """The error page's header asks for the signed-in user, whom the unreachable database cannot give: that
    second failure inside the error handler became a 500 (bench/faults.py, scenario pg)."""
    client = portal_without_database.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = "1"
        session["sso_session"] = "some-session"
    response = client.get("/me")
    assert response.status_code == 503
    assert "数据库暂时无法连接" in response.get_data(as_text=True)
    with client.session_transaction() as session:
        assert session["_user_id"] == "1"  # still signed in once the database is back
