"""Flask CLI commands (`flask --app wsgi …`). Each area adds its own group here."""


def register(app):
    """Attach the command groups of every area of the portal."""
    from portal.workflow.commands import workflow_cli

    app.cli.add_command(workflow_cli)
