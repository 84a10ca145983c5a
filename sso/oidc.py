"""OpenID Connect for one confidential client of the realm: login requests with PKCE (S256),
code exchange, refresh, RP-initiated logout, and local validation of ID, access and logout tokens
against the realm's JWKS.

Framework-free: the portal and the demo department platform both use it.
"""

import base64
import hashlib
import hmac
import secrets
import threading
import time
from dataclasses import dataclass
from urllib.parse import urlencode

import jwt
import requests

BACKCHANNEL_LOGOUT_EVENT = "http://schemas.openid.net/event/backchannel-logout"
SIGNING_ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "ES256")


class SsoUnavailable(Exception):
    """Keycloak could not be reached or answered with a server error."""


class TokenRejected(Exception):
    """A token or an authorization response failed validation; `reason` says which check."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class LoginRequest:
    """What the relying party keeps until the callback, and where to send the browser."""

    url: str
    state: str
    nonce: str
    code_verifier: str

    def pending(self):
        """What to keep in the browser's (signed, server-checked) session until the callback."""
        return {"state": self.state, "nonce": self.nonce, "code_verifier": self.code_verifier}


def same_secret(given, expected):
    """Constant-time comparison of two strings (state values, nonces)."""
    return bool(given) and bool(expected) and hmac.compare_digest(str(given), str(expected))


def _code_challenge(verifier):
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


class OidcClient:
    def __init__(self, server_url, realm, client_id, client_secret, timeout=3.0, leeway=30,
                 discovery_ttl=3600, jwks_refetch_interval=10):
        self.issuer = f"{server_url.rstrip('/')}/realms/{realm}"
        self.client_id = client_id
        self._client_secret = client_secret
        self.timeout = timeout
        self.leeway = leeway
        self._discovery_ttl = discovery_ttl
        # a token naming an unknown key refetches the JWKS at most this often (forged kids are cheap)
        self._jwks_refetch_interval = jwks_refetch_interval
        self._lock = threading.Lock()
        self._discovery = None
        self._discovery_fetched_at = 0.0
        self._reachable_at = float("-inf")
        self._keys = {}
        self._jwks_fetched_at = 0.0

    # --- talking to Keycloak -------------------------------------------------------------------

    def _request(self, method, url, **kwargs):
        try:
            response = requests.request(method, url, timeout=self.timeout, **kwargs)
        except requests.RequestException as error:
            raise SsoUnavailable(type(error).__name__) from error
        if response.status_code >= 500:
            raise SsoUnavailable(f"HTTP {response.status_code}")
        return response

    def discovery(self):
        with self._lock:
            fresh = time.monotonic() - self._discovery_fetched_at < self._discovery_ttl
            if self._discovery is not None and fresh:
                return self._discovery
        response = self._request("GET", f"{self.issuer}/.well-known/openid-configuration")
        if response.status_code != 200:
            raise SsoUnavailable(f"discovery: HTTP {response.status_code}")
        document = response.json()
        with self._lock:
            self._discovery, self._discovery_fetched_at = document, time.monotonic()
        return document

    def _token_request(self, **form):
        response = self._request(
            "POST", self.discovery()["token_endpoint"],
            data={**form, "client_id": self.client_id, "client_secret": self._client_secret},
        )
        body = response.json() if response.headers.get("Content-Type", "").startswith("application/json") else {}
        if response.status_code != 200 or "access_token" not in body:
            raise TokenRejected(body.get("error") or f"token endpoint: HTTP {response.status_code}")
        return body

    # A sign-in is only sent to Keycloak when Keycloak answered within this many seconds: the discovery
    # document is cached for an hour, and without a check a visitor would be redirected to a dead server.
    REACHABLE_FOR_SECONDS = 2.0

    def ensure_reachable(self):
        """Raise SsoUnavailable unless the realm answered lately (or answers now)."""
        if time.monotonic() - self._reachable_at < self.REACHABLE_FOR_SECONDS:
            return
        response = self._request("GET", self.issuer)
        if response.status_code != 200:
            raise SsoUnavailable(f"realm: HTTP {response.status_code}")
        self._reachable_at = time.monotonic()

    def begin_login(self, redirect_uri, scope="openid profile email"):
        self.ensure_reachable()
        state, nonce = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        verifier = secrets.token_urlsafe(64)
        query = urlencode({
            "client_id": self.client_id, "response_type": "code", "scope": scope,
            "redirect_uri": redirect_uri, "state": state, "nonce": nonce,
            "code_challenge": _code_challenge(verifier), "code_challenge_method": "S256",
        })
        url = f"{self.discovery()['authorization_endpoint']}?{query}"
        return LoginRequest(url=url, state=state, nonce=nonce, code_verifier=verifier)

    def exchange_code(self, code, redirect_uri, code_verifier):
        return self._token_request(grant_type="authorization_code", code=code, redirect_uri=redirect_uri,
                                   code_verifier=code_verifier)

    def finish_login(self, pending, args, redirect_uri):
        """Checks an authorization response (`args`) against the request kept since begin_login
        (`pending`, used once), exchanges the code with the PKCE verifier and validates the ID token
        with the nonce. Returns (tokens, ID token claims); raises TokenRejected, whose reason is
        "state", "cancelled" or "error" for a bad response, otherwise the failed token check."""
        if not pending or not same_secret(args.get("state"), pending.get("state")):
            raise TokenRejected("state")
        if args.get("error"):
            raise TokenRejected("cancelled" if args["error"] == "access_denied" else "error")
        if not args.get("code"):
            raise TokenRejected("error")
        tokens = self.exchange_code(args["code"], redirect_uri, pending["code_verifier"])
        return tokens, self.validate_id_token(tokens["id_token"], pending["nonce"])

    def refresh(self, refresh_token):
        return self._token_request(grant_type="refresh_token", refresh_token=refresh_token)

    def password_grant(self, username, password):
        """Direct grant, for command-line API clients and tests (only clients that enable it)."""
        return self._token_request(grant_type="password", username=username, password=password,
                                   scope="openid profile email")

    def end_session_url(self, id_token_hint, post_logout_redirect_uri):
        query = urlencode({"client_id": self.client_id, "id_token_hint": id_token_hint,
                           "post_logout_redirect_uri": post_logout_redirect_uri})
        return f"{self.discovery()['end_session_endpoint']}?{query}"

    # --- keys ----------------------------------------------------------------------------------

    def _fetch_keys(self):
        response = self._request("GET", self.discovery()["jwks_uri"])
        if response.status_code != 200:
            raise SsoUnavailable(f"jwks: HTTP {response.status_code}")
        keys = {}
        for entry in response.json().get("keys", []):
            if entry.get("use", "sig") != "sig" or entry.get("alg") not in SIGNING_ALGORITHMS:
                continue
            keys[entry["kid"]] = jwt.PyJWK(entry)
        with self._lock:
            self._keys, self._jwks_fetched_at = keys, time.monotonic()

    def signing_key(self, kid):
        """The realm key named `kid`; an unknown kid refetches the JWKS once (key rotation)."""
        with self._lock:
            key = self._keys.get(kid)
            may_refetch = time.monotonic() - self._jwks_fetched_at >= self._jwks_refetch_interval \
                or not self._keys
        if key is None and may_refetch:
            self._fetch_keys()
            with self._lock:
                key = self._keys.get(kid)
        if key is None:
            raise TokenRejected("unknown signing key")
        return key

    # --- token validation ----------------------------------------------------------------------

    def _decode(self, token, required, token_type):
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as error:
            raise TokenRejected("malformed token") from error
        if header.get("alg") not in SIGNING_ALGORITHMS or not header.get("kid"):
            raise TokenRejected("unexpected signing algorithm")
        key = self.signing_key(header["kid"])
        try:
            claims = jwt.decode(
                token, key.key, algorithms=[key.algorithm_name], audience=self.client_id, issuer=self.issuer,
                leeway=self.leeway, options={"require": list(required)},
            )
        except jwt.ExpiredSignatureError as error:
            raise TokenRejected("expired token") from error
        except jwt.InvalidAudienceError as error:
            raise TokenRejected("wrong audience") from error
        except jwt.InvalidIssuerError as error:
            raise TokenRejected("wrong issuer") from error
        except jwt.InvalidSignatureError as error:
            raise TokenRejected("bad signature") from error
        except jwt.PyJWTError as error:
            raise TokenRejected(f"invalid token: {type(error).__name__}") from error
        # Keycloak marks what a token is for; an ID token must not pass as an access token.
        if claims.get("typ", token_type) != token_type:
            raise TokenRejected(f"not a {token_type} token")
        return claims

    def validate_id_token(self, token, nonce):
        claims = self._decode(token, ("exp", "iat", "iss", "aud", "sub"), "ID")
        if not same_secret(claims.get("nonce"), nonce):
            raise TokenRejected("nonce mismatch")
        if isinstance(claims["aud"], list) and len(claims["aud"]) > 1 and claims.get("azp") != self.client_id:
            raise TokenRejected("wrong authorized party")
        return claims

    def validate_access_token(self, token):
        return self._decode(token, ("exp", "iat", "iss", "aud", "sub"), "Bearer")

    def validate_logout_token(self, token):
        """OpenID Connect Back-Channel Logout 1.0, section 2.6."""
        claims = self._decode(token, ("iat", "iss", "aud"), "Logout")
        events = claims.get("events")
        if not isinstance(events, dict) or BACKCHANNEL_LOGOUT_EVENT not in events:
            raise TokenRejected("missing back-channel logout event")
        if "nonce" in claims:
            raise TokenRejected("logout token carries a nonce")
        if not claims.get("sid") and not claims.get("sub"):
            raise TokenRejected("logout token names no session or subject")
        return claims
