"""A small client for the realm's Keycloak, configured in init_app like other Flask extensions.

State lives in `app.extensions`, so several apps (tests build more than one) never share it.
"""

from dataclasses import dataclass

import requests
from flask import current_app


@dataclass
class _KeycloakState:
    server_url: str
    management_url: str
    realm: str


class KeycloakClient:
    def init_app(self, app):
        app.extensions["keycloak_client"] = _KeycloakState(
            server_url=app.config["KEYCLOAK_URL"].rstrip("/"),
            management_url=app.config["KEYCLOAK_MANAGEMENT_URL"].rstrip("/"),
            realm=app.config["KEYCLOAK_REALM"],
        )

    @property
    def _state(self):
        return current_app.extensions["keycloak_client"]

    @property
    def server_url(self):
        return self._state.server_url

    @property
    def realm(self):
        return self._state.realm

    @property
    def issuer(self):
        return f"{self.server_url}/realms/{self.realm}"

    def health(self, timeout):
        """'ok' when Keycloak is ready and serves the realm's discovery document."""
        try:
            ready = requests.get(f"{self._state.management_url}/health/ready", timeout=timeout)
            discovery = requests.get(f"{self.issuer}/.well-known/openid-configuration", timeout=timeout)
        except requests.RequestException as error:
            return f"unavailable: {type(error).__name__}"
        if ready.status_code != 200:
            return f"not ready: HTTP {ready.status_code}"
        if discovery.status_code != 200:
            return f"realm {self.realm} missing: HTTP {discovery.status_code}"
        return "ok"
