"""`flask workflow …`: the scheduled publishing run (also called from the search sync loop)."""

import click
from flask.cli import AppGroup

from portal.workflow.machine import publish_due

workflow_cli = AppGroup("workflow", help="Editorial workflow (scheduled publishing).")


@workflow_cli.command("publish-due")
def publish_due_command():
    """Publish every approved matter, answer and article whose scheduled time has come."""
    count = publish_due()
    click.echo(f"published {count} scheduled record(s)")
