"""A small client for the realm's Keycloak, configured in init_app like other Flask extensions.

State lives in `app.extensions`, so several apps (tests build more than one) never share it.
"""

from dataclasses import dataclass

import requests
from flask import current_app

from sso.oidc import OidcClient


@dataclass
class _KeycloakState:
    server_url: str
    management_url: str
    realm: str
    oidc: OidcClient
    admin_username: str
    admin_password: str


class KeycloakClient:
    def init_app(self, app):
        if not app.config.get("KEYCLOAK_CLIENT_SECRET"):
            raise RuntimeError("KEYCLOAK_CLIENT_SECRET must be set in production")
        app.extensions["keycloak_client"] = _KeycloakState(
            server_url=app.config["KEYCLOAK_URL"].rstrip("/"),
            management_url=app.config["KEYCLOAK_MANAGEMENT_URL"].rstrip("/"),
            realm=app.config["KEYCLOAK_REALM"],
            oidc=OidcClient(
                app.config["KEYCLOAK_URL"], app.config["KEYCLOAK_REALM"], app.config["KEYCLOAK_CLIENT_ID"],
                app.config["KEYCLOAK_CLIENT_SECRET"], timeout=app.config["KEYCLOAK_TIMEOUT_SECONDS"],
                jwks_refetch_interval=app.config["KEYCLOAK_JWKS_MIN_REFETCH_SECONDS"],
            ),
            admin_username=app.config["KEYCLOAK_ADMIN_USERNAME"],
            admin_password=app.config["KEYCLOAK_ADMIN_PASSWORD"],
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

    @property
    def oidc(self):
        """The OpenID Connect client of this app's Keycloak client (KEYCLOAK_CLIENT_ID)."""
        return self._state.oidc

    def admin(self):
        """python-keycloak's admin API on the realm, signed in as the master realm's admin."""
        from keycloak import KeycloakAdmin

        return KeycloakAdmin(
            server_url=f"{self.server_url}/", username=self._state.admin_username,
            password=self._state.admin_password, realm_name=self.realm, user_realm_name="master",
            verify=True,
        )

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
