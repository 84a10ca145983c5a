"""Claims into identities, and 统一社会信用代码 check characters (GB 32100-2015)."""

import pytest

from sso.credit_code import is_valid_credit_code
from sso.identity import InvalidIdentity, identity_from_claims

pytestmark = pytest.mark.unit
ROLES = ("citizen", "enterprise", "editor")


@pytest.mark.parametrize("code", ["91350100M000100Y43", "91370500MA3C1234X8", " 9137 0500 ma3c 1234 x8 "])
def test_valid_credit_codes(code):
    assert is_valid_credit_code(code)


@pytest.mark.parametrize("code", [
    "91370500MA3C1234X9",  # wrong check character
    "91370500MA3C1234X",  # 17 characters
    "913705OOMA3C1234X8",  # letter O in the division code
    "91370500MA3C1234I8",  # I is not in the alphabet
    "01370500MA3C1234X8",  # no registration authority 0
    "", None,
])
def test_invalid_credit_codes(code):
    assert not is_valid_credit_code(code)


def _claims(**extra):
    return {"sub": "s-1", "preferred_username": "u", "given_name": "小明", "family_name": "王", "sid": "k-1",
            "roles": ["citizen", "offline_access"], **extra}


def test_identity_reads_chinese_names_family_first_and_keeps_known_roles():
    identity = identity_from_claims(_claims(real_name_level=3), ROLES)

    assert identity.display_name == "王小明"
    assert identity.roles == ("citizen",)
    assert identity.real_name_level == 3 and identity.keycloak_session_id == "k-1"


def test_enterprise_identity_needs_a_valid_credit_code():
    good = identity_from_claims(_claims(account_type="法人", credit_code="91370500ma3c1234x8"), ROLES)
    assert good.is_enterprise and good.credit_code == "91370500MA3C1234X8"

    for claims in (_claims(account_type="法人"), _claims(account_type="法人", credit_code="91370500MA3C1234X9")):
        with pytest.raises(InvalidIdentity):
            identity_from_claims(claims, ROLES)


def test_out_of_range_real_name_level_is_not_trusted():
    assert identity_from_claims(_claims(real_name_level="7"), ROLES).real_name_level is None
