"""Sign-in settings outside development."""

import pytest

from portal import create_app
from portal.config import ProductionConfig

pytestmark = pytest.mark.unit


def test_production_refuses_to_start_without_a_client_secret():
    without_secret = type("ProductionWithoutSecret", (ProductionConfig,),
                          {"SECRET_KEY": "set", "KEYCLOAK_CLIENT_SECRET": None})

    with pytest.raises(RuntimeError, match="KEYCLOAK_CLIENT_SECRET"):
        create_app(without_secret)


def test_production_session_cookie_is_secure_http_only_and_same_site_lax():
    assert ProductionConfig.SESSION_COOKIE_SECURE
    assert ProductionConfig.SESSION_COOKIE_HTTPONLY
    assert ProductionConfig.SESSION_COOKIE_SAMESITE == "Lax"
