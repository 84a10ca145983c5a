"""Bearer access tokens on the JSON API: a Keycloak access token issued for this portal's client,
validated locally against the realm's cached JWKS, signs its holder in for that one request."""

from flask import current_app

from portal.auth.signin import sync_user
from portal.extensions import db, keycloak_client
from portal.models import ROLES
from sso.identity import identity_from_claims
from sso.oidc import SsoUnavailable, TokenRejected


def bearer_token(request):
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def user_from_bearer_token(request):
    """Flask-Login's request loader: the token's user on /api/ routes, else nobody."""
    token = bearer_token(request)
    if token is None or not request.path.startswith("/api/"):
        return None
    try:
        identity = identity_from_claims(keycloak_client.oidc.validate_access_token(token), ROLES)
    except (TokenRejected, SsoUnavailable) as error:
        reason = getattr(error, "reason", type(error).__name__)
        current_app.logger.info("bearer token refused", extra={"fields": {"reason": reason}})
        return None
    user = sync_user(identity)
    db.session.commit()
    return user
