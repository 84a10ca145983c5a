"""Settings from environment variables with development defaults (the realm's dept-demo client)."""

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


def settings_from_environment():
    env = os.environ.get
    port = env("DEPT_DEMO_PORT", "8001")
    return {
        # DEVELOPMENT-ONLY defaults, as declared in sso/realm/portal-realm.json.
        "SECRET_KEY": env("DEPT_DEMO_SECRET_KEY", "dev-only-dept-demo-secret-key"),
        "OIDC_CLIENT_ID": env("DEPT_DEMO_CLIENT_ID", "dept-demo"),
        "OIDC_CLIENT_SECRET": env("DEPT_DEMO_CLIENT_SECRET", "dev-only-dept-demo-secret"),
        "KEYCLOAK_URL": env("KEYCLOAK_URL", f"http://127.0.0.1:{env('KC_PORT', '8080')}"),
        "KEYCLOAK_REALM": env("KEYCLOAK_REALM", "portal"),
        "KEYCLOAK_TIMEOUT_SECONDS": float(env("KEYCLOAK_TIMEOUT_SECONDS", "3")),
        "PORTAL_BASE_URL": env("PORTAL_BASE_URL", f"http://127.0.0.1:{env('PORTAL_PORT', '8000')}"),
        "BASE_URL": env("DEPT_DEMO_BASE_URL", f"http://127.0.0.1:{port}"),
        "SESSION_DATABASE": env("DEPT_DEMO_DATABASE", str(REPO_ROOT / "instance" / "dept_demo.db")),
        # The portal's cookie is also sent to this host (cookies ignore ports): use another name.
        "SESSION_COOKIE_NAME": "dept_demo_session",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": env("SESSION_COOKIE_SECURE", "0").lower() in {"1", "true", "yes", "on"},
        "WTF_CSRF_TIME_LIMIT": None,
    }
