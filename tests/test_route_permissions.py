"""Every route declares who may open it (portal/permissions.py), and this test walks every
route with anonymous and every role, checking the answer against the declaration:

| declaration            | anonymous          | holder of the role (or admin) | other roles |
| ---------------------- | ------------------ | ----------------------------- | ----------- |
| public                 | not 401/403        | not 401/403                   | not 401/403 |
| signed_in              | 302 to /login, or 401 on /api | not 401/403        | not 401/403 |
| roles_required(roles)  | 302 to /login, or 401 on /api | not 401/403        | 403         |

URL parameters are filled from ROUTE_SAMPLES (extend it when you add a route with a new
parameter name); an unknown one gets "1", and a 404 then still proves the check passed.
"""

import pytest

from portal.models import ROLES, Department, Matter, Platform
from portal.permissions import PUBLIC, SIGNED_IN

SKIPPED_ENDPOINTS = {"static"}


@pytest.fixture
def route_samples(app):
    from portal.extensions import db

    department = Department(code="D-PERM", name="权限测试局", slug="perm-test")
    platform = Platform(code="P-PERM", name="测试平台", base_url="http://127.0.0.1:8001", department=department)
    matter = Matter(code="M-PERM-1", name="权限测试事项", department=department, platform=platform,
                    handling_url="http://127.0.0.1:8001/apply/M-PERM-1", status="published")
    db.session.add_all([department, platform, matter])
    db.session.commit()
    return {"code": matter.code, "slug": department.slug, "locale": "en", "department": department,
            "entity_type": "matter", "entity_id": matter.id, "action": "submit", "column": "通知公告"}


def _url(rule, samples):
    values = {name: samples.get(name, "1") for name in rule.arguments}
    return rule.rule if not values else _build(rule, values)


def _build(rule, values):
    url = rule.rule
    for name, value in values.items():
        for converter in ("", "int:", "path:", "string:"):
            url = url.replace(f"<{converter}{name}>", str(value))
    return url


def _expected_ok(permission, role):
    if permission == PUBLIC:
        return True
    if role is None:
        return False
    if permission == SIGNED_IN:
        return True
    return role == "admin" or role in permission


@pytest.mark.integration
@pytest.mark.parametrize("role", [None, *ROLES])
def test_every_route_answers_each_role_as_declared(app, route_samples, make_user, login, role):
    user = make_user(role, department=route_samples["department"]) if role else None
    failures = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint in SKIPPED_ENDPOINTS:
            continue
        permission = getattr(app.view_functions[rule.endpoint], "permission", None)
        assert permission is not None, f"{rule.rule} declares no permission"
        method = "GET" if "GET" in rule.methods else sorted(rule.methods - {"HEAD", "OPTIONS"})[0]
        client = login(user, app.test_client()) if user else app.test_client()
        response = client.open(_url(rule, route_samples), method=method)
        status = response.status_code
        if _expected_ok(permission, role):
            if status in (401, 403):
                failures.append(f"{method} {rule.rule} as {role}: {status}, expected access")
        elif role is None:
            redirected_to_login = status == 302 and "/login" in response.headers.get("Location", "")
            if not (redirected_to_login or status == 401):
                failures.append(f"{method} {rule.rule} anonymous: {status}, expected login")
        elif status != 403:
            failures.append(f"{method} {rule.rule} as {role}: {status}, expected 403")
    assert failures == []
