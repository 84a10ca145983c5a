"""Idempotent provisioning of the realm through python-keycloak's admin API: the realm roles, one
group per department (its members' tokens carry the department code), and the portal client's
URLs for the portal's base URL. Running it again changes nothing that is already right."""

from dataclasses import dataclass, field

from keycloak.exceptions import KeycloakGetError

DEPARTMENTS_GROUP = "departments"


@dataclass
class ProvisionReport:
    roles_created: list = field(default_factory=list)
    groups_created: list = field(default_factory=list)
    groups_updated: list = field(default_factory=list)
    client_updated: bool = False
    staff_moved: list = field(default_factory=list)


def _group_by_path(admin, path):
    try:
        return admin.get_group_by_path(path)
    except KeycloakGetError as error:
        if error.response_code == 404:
            return None
        raise


def ensure_roles(admin, roles, report):
    existing = {role["name"] for role in admin.get_realm_roles()}
    for role in roles:
        if role not in existing:
            admin.create_realm_role({"name": role}, skip_exists=True)
            report.roles_created.append(role)


def ensure_department_groups(admin, departments, report, progress=lambda done, total: None):
    """`departments`: (code, name) pairs; each becomes /departments/<code>."""
    parent = _group_by_path(admin, f"/{DEPARTMENTS_GROUP}")
    if parent is None:
        admin.create_group({"name": DEPARTMENTS_GROUP}, skip_exists=True)
        parent = _group_by_path(admin, f"/{DEPARTMENTS_GROUP}")
    for done, (code, name) in enumerate(departments, start=1):
        attributes = {"department_code": [code], "department_name": [name]}
        group = _group_by_path(admin, f"/{DEPARTMENTS_GROUP}/{code}")
        if group is None:
            admin.create_group({"name": code, "attributes": attributes}, parent=parent["id"], skip_exists=True)
            report.groups_created.append(code)
        elif group.get("attributes") != attributes:
            admin.update_group(group["id"], {"name": code, "attributes": attributes})
            report.groups_updated.append(code)
        progress(done, len(departments))


def ensure_client_urls(admin, client_id, base_url, report):
    """The client's redirect URIs include the base URL's callback (exactly: no wildcard), signing out may
    return to the base URL, and back-channel logout goes to it."""
    internal_id = admin.get_client_id(client_id)
    if internal_id is None:
        raise LookupError(f"client {client_id} does not exist in the realm (import sso/realm/portal-realm.json)")
    client = admin.get_client(internal_id)
    base_url = base_url.rstrip("/")
    redirect = f"{base_url}/auth/callback"
    backchannel = f"{base_url}/auth/backchannel-logout"
    attributes = client.get("attributes", {})
    after_logout = [uri for uri in (attributes.get("post.logout.redirect.uris") or "").split("##")
                    if uri and uri != "+"]
    redirects = [uri for uri in client.get("redirectUris", []) if not uri.endswith("*")]
    if redirect in redirects and len(redirects) == len(client.get("redirectUris", [])) \
            and f"{base_url}/" in after_logout and attributes.get("backchannel.logout.url") == backchannel:
        return
    admin.update_client(internal_id, {
        "redirectUris": sorted({*redirects, redirect}),
        "attributes": {**attributes, "backchannel.logout.url": backchannel,
                       "backchannel.logout.session.required": "true",
                       "post.logout.redirect.uris": "##".join(sorted({*after_logout, f"{base_url}/"}))},
    })
    report.client_updated = True


def ensure_staff_department(admin, usernames, department_code, report):
    """Makes each user a member of /departments/<code> and of no other department group (an
    editor's department comes from the group)."""
    target = _group_by_path(admin, f"/{DEPARTMENTS_GROUP}/{department_code}")
    if target is None:
        raise LookupError(f"no department group /{DEPARTMENTS_GROUP}/{department_code}")
    for username in usernames:
        user_id = admin.get_user_id(username)
        if user_id is None:
            raise LookupError(f"no user {username} in the realm")
        groups = [group for group in admin.get_user_groups(user_id)
                  if group["path"].startswith(f"/{DEPARTMENTS_GROUP}/")]
        if [group["id"] for group in groups] == [target["id"]]:
            continue
        for group in groups:
            if group["id"] != target["id"]:
                admin.group_user_remove(user_id, group["id"])
        admin.group_user_add(user_id, target["id"])
        report.staff_moved.append(username)


def provision(admin, roles, departments, client_id, base_url, staff=(), staff_department=None,
              progress=lambda done, total: None):
    """`staff` usernames join `staff_department`'s group when one is given."""
    report = ProvisionReport()
    ensure_roles(admin, roles, report)
    ensure_department_groups(admin, departments, report, progress)
    ensure_client_urls(admin, client_id, base_url, report)
    if staff_department:
        ensure_staff_department(admin, staff, staff_department, report)
    return report
