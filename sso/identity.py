"""Who a token says the person is: the claims the realm maps into ID and access tokens
(see sso/realm/portal-realm.json), read into one value the portal and department platforms share."""

import re
from dataclasses import dataclass

from sso.credit_code import is_valid_credit_code, normalise_credit_code
from sso.oidc import TokenRejected

ENTERPRISE = "法人"
_HAN = re.compile(r"[\u3400-\u9fff]")


class InvalidIdentity(TokenRejected):
    """The token is sound but its claims are unusable; `reason` names the claim."""


@dataclass(frozen=True)
class Identity:
    subject: str
    username: str
    display_name: str
    email: str | None
    roles: tuple
    account_type: str | None
    real_name_level: int | None
    credit_code: str | None
    enterprise_name: str | None
    department_code: str | None
    keycloak_session_id: str | None

    @property
    def is_enterprise(self):
        return self.account_type == ENTERPRISE


def display_name(claims):
    """Chinese names read family name first (王小明); others as Keycloak's `name` claim has them."""
    family, given = claims.get("family_name") or "", claims.get("given_name") or ""
    if _HAN.search(family + given):
        return f"{family}{given}"
    return claims.get("name") or claims.get("preferred_username") or claims["sub"]


def _real_name_level(value):
    try:
        level = int(value)
    except (TypeError, ValueError):
        return None
    return level if 1 <= level <= 3 else None


def identity_from_claims(claims, known_roles):
    """The person the claims describe, with only the roles this application knows."""
    credit_code = normalise_credit_code(claims.get("credit_code")) or None
    if credit_code and not is_valid_credit_code(credit_code):
        raise InvalidIdentity("credit_code")
    if claims.get("account_type") == ENTERPRISE and not credit_code:
        raise InvalidIdentity("credit_code")
    roles = claims.get("roles") or claims.get("realm_access", {}).get("roles", [])
    return Identity(
        subject=claims["sub"],
        username=claims.get("preferred_username") or claims["sub"],
        display_name=display_name(claims),
        email=claims.get("email"),
        roles=tuple(role for role in known_roles if role in roles),
        account_type=claims.get("account_type"),
        real_name_level=_real_name_level(claims.get("real_name_level")),
        credit_code=credit_code,
        enterprise_name=claims.get("enterprise_name"),
        department_code=claims.get("department_code"),
        keycloak_session_id=claims.get("sid"),
    )
