"""Readiness of the three backends, each checked with a short timeout."""

from flask import current_app
from sqlalchemy import text

from portal.extensions import db, keycloak_client, search_client


def database_status():
    try:
        db.session.execute(text("SELECT 1"))
    except Exception as error:  # noqa: BLE001 - any failure means "not ready"
        db.session.rollback()
        return f"unavailable: {type(error).__name__}"
    return "ok"


def readiness():
    """{"db": …, "search": …, "sso": …}; each is "ok" or a short reason."""
    timeout = current_app.config["READINESS_TIMEOUT_SECONDS"]
    return {
        "db": database_status(),
        "search": search_client.health(timeout),
        "sso": keycloak_client.health(timeout),
    }
