"""`flask sso provision` against the real realm: one group per department, idempotent."""

import base64
import json

import pytest
import requests

from portal.config import Config

pytestmark = pytest.mark.integration


@pytest.fixture
def two_departments(make_department, kc_admin):
    departments = [make_department(name) for name in ("市场监督管理局（测试）", "人力资源和社会保障局（测试）")]
    yield departments
    for department in departments:
        group = kc_admin.get_group_by_path(f"/departments/{department.code}")
        kc_admin.delete_group(group["id"])


def test_provision_creates_department_groups_once(sso_app, kc_admin, two_departments):
    runner = sso_app.test_cli_runner()

    first = runner.invoke(args=["sso", "provision"])
    second = runner.invoke(args=["sso", "provision"])

    assert first.exit_code == 0, first.output
    assert "groups created: 2" in first.output
    assert "department groups: 2/2" in first.output
    assert second.exit_code == 0 and "roles created: 0; groups created: 0, updated: 0" in second.output
    assert "client URLs already right" in second.output
    group = kc_admin.get_group_by_path(f"/departments/{two_departments[0].code}")
    assert group["attributes"]["department_code"] == [two_departments[0].code]
    assert group["attributes"]["department_name"] == ["市场监督管理局（测试）"]


def test_an_editor_in_a_provisioned_group_gets_that_department(sso_app, kc_admin, two_departments, keycloak_user,
                                                               portal_oidc):
    assert sso_app.test_cli_runner().invoke(args=["sso", "provision"]).exit_code == 0
    username = keycloak_user(("editor",), account_type="个人", real_name_level=3)
    user_id = kc_admin.get_user_id(username)
    group = kc_admin.get_group_by_path(f"/departments/{two_departments[1].code}")
    kc_admin.group_user_add(user_id, group["id"])

    token = portal_oidc.password_grant(username, "demo")["access_token"]

    assert portal_oidc.validate_access_token(token)["department_code"] == two_departments[1].code


def test_provision_moves_staff_into_a_department_once(sso_app, kc_admin, two_departments, keycloak_user, portal_oidc):
    username = keycloak_user(("editor",), account_type="个人", real_name_level=3)
    runner = sso_app.test_cli_runner()
    first, second = (runner.invoke(args=["sso", "provision", "--staff-department", department.code,
                                         "--staff-user", username]) for department in two_departments)
    again = runner.invoke(args=["sso", "provision", "--staff-department", two_departments[1].code,
                                "--staff-user", username])

    assert first.exit_code == 0 and second.exit_code == 0, first.output + second.output
    assert f"staff moved to {two_departments[1].code}: {username}" in second.output
    assert "none (already there)" in again.output
    token = portal_oidc.password_grant(username, "demo")["access_token"]
    assert portal_oidc.validate_access_token(token)["department_code"] == two_departments[1].code


def test_provision_names_a_missing_department(sso_app):
    answer = sso_app.test_cli_runner().invoke(args=["sso", "provision", "--staff-department", "no-such-code"])

    assert answer.exit_code != 0
    assert "no department group /departments/no-such-code" in answer.output


def test_make_runs_provision_puts_the_write_api_system_client_in_the_staff_department(sso_app, kc_admin,
                                                                                     two_departments):
    """`make run` calls `sso provision --staff-department CODE` with the default staff users: the demo editor and
    reviewer and the service account of portal-api-system-demo, whose client-credentials token then names
    that department (the README's write API example relies on it)."""
    from portal.auth.commands import STAFF_USERS
    from sso.provision import ProvisionReport, ensure_staff_department

    target = two_departments[0].code
    try:
        answer = sso_app.test_cli_runner().invoke(args=["sso", "provision", "--staff-department", target])
        assert answer.exit_code == 0, answer.output
        token = requests.post(f"{Config.KEYCLOAK_URL}/realms/{Config.KEYCLOAK_REALM}/protocol/openid-connect/token",
                              timeout=30, data={"grant_type": "client_credentials",
                                                "client_id": "portal-api-system-demo",
                                                "client_secret": "dev-only-portal-api-system-demo-secret"})
        assert token.status_code == 200, token.text
        payload = token.json()["access_token"].split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        assert claims["department_code"] == target and "editor" in claims["roles"]
    finally:  # the realm's own arrangement, which the other tests expect
        ensure_staff_department(kc_admin, STAFF_USERS, "demo-dept", ProvisionReport())
