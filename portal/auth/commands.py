"""`flask sso …`: realm provisioning through the Keycloak admin API."""

import click
from flask import current_app
from flask.cli import AppGroup

from portal.extensions import db, keycloak_client
from portal.models import ROLES, Department
from sso.provision import provision

# The realm's demo editor and reviewer, and the service account of the development-only system client of
# the write API (portal-api-system-demo): `make run` puts them all in the demo staff department.
STAFF_USERS = ("editor", "reviewer", "service-account-portal-api-system-demo")

sso_cli = AppGroup("sso", help="Keycloak single sign-on.")


@sso_cli.command("provision")
@click.option("--staff-department", metavar="CODE",
              help="Put the staff users (--staff-user) into this department's group, e.g. to try the editor "
                   "pages with the realm's demo editor and reviewer on seeded data.")
@click.option("--staff-user", "staff_users", multiple=True, default=STAFF_USERS, show_default=True,
              help="A username for --staff-department (repeatable).")
def provision_command(staff_department, staff_users):
    """Create the realm roles, one group per department and the portal client's URLs (idempotent)."""
    departments = db.session.execute(db.select(Department.code, Department.name).order_by(Department.code)).all()
    click.echo(f"realm {keycloak_client.realm} at {keycloak_client.server_url}: "
               f"{len(ROLES)} roles, {len(departments)} department groups")

    def progress(done, total):
        if done == total or done % 50 == 0:
            click.echo(f"  department groups: {done}/{total}")

    try:
        report = provision(keycloak_client.admin(), ROLES, [tuple(row) for row in departments],
                           current_app.config["KEYCLOAK_CLIENT_ID"], current_app.config["PORTAL_BASE_URL"],
                           staff_users, staff_department, progress)
    except LookupError as missing:
        raise click.ClickException(str(missing)) from missing
    click.echo(f"roles created: {len(report.roles_created)}; groups created: {len(report.groups_created)}, "
               f"updated: {len(report.groups_updated)}; client URLs "
               f"{'updated' if report.client_updated else 'already right'}")
    if staff_department:
        click.echo(f"staff moved to {staff_department}: {', '.join(report.staff_moved) or 'none (already there)'}")
