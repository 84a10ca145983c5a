"""No personal data or secrets in the logs (issue 11, item 4). tests/conftest.py checks every log
line of the whole run for mobile and ID card numbers; these tests type them (and OIDC codes) through
the channels that used to log them and read the lines written meanwhile."""

import runpy
from pathlib import Path

import pytest
import sqlalchemy as sa

from portal.extensions import db

ROOT = Path(__file__).resolve().parent.parent
PHONE, ID_NUMBER = "13912345678", "370502199001011234"


@pytest.mark.integration
def test_query_strings_never_reach_the_log(app, client, make_user, login, elasticsearch, log_lines):
    client.get("/search", query_string={"q": f"身份证 {ID_NUMBER}"})
    client.get("/api/v1/search", query_string={"q": PHONE})
    client.get("/auth/callback", query_string={"code": "oidc-code-secret", "state": "oidc-state-secret",
                                               "session_state": "oidc-session-secret"})
    operator = login(make_user("operator"), app.test_client())
    operator.get("/hotline/search", query_string={"q": f"来电 {PHONE}"})
    operator.get("/hotline/", query_string={"q": PHONE})
    logged = "\n".join(log_lines)
    assert '"path": "/search"' in logged or "/search" in logged  # the access log did write
    for secret in (PHONE, ID_NUMBER, "oidc-code-secret", "oidc-state-secret", "oidc-session-secret"):
        assert secret not in logged


@pytest.mark.integration
def test_database_errors_are_logged_without_bound_parameters_or_row_values(app):
    from portal.errors import database_error_fields

    assert db.engine.hide_parameters
    with pytest.raises(sa.exc.DBAPIError) as error:
        # The server's message repeats the value ("invalid input syntax for type integer: …").
        db.session.execute(sa.text("SELECT CAST(:comment AS INTEGER)"), {"comment": f"请回电 {PHONE}"})
    db.session.rollback()
    fields = database_error_fields(error.value)
    assert PHONE not in str(fields) and "SELECT CAST" in fields["statement"]
    assert "parameters hidden" in str(error.value)


def test_gunicorn_keeps_no_access_log_of_its_own():
    settings = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert settings["accesslog"] is None
    assert "access-logfile" not in (ROOT / "scripts" / "run-portal.sh").read_text(encoding="utf-8")
