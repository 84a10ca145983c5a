"""Flask CLI commands (`flask --app wsgi …`). Each area adds its own group here."""


def register(app):
    """Attach the command groups of every area of the portal."""
    from portal.seed.cli import seed_command

    app.cli.add_command(seed_command)
    from portal.knowledge.cli import knowledge_cli

    app.cli.add_command(knowledge_cli)
    from portal.interaction.cli import interaction_cli

    app.cli.add_command(interaction_cli)
    from portal.workflow.commands import workflow_cli

    app.cli.add_command(workflow_cli)
    from portal.site_search.commands import search_cli

    app.cli.add_command(search_cli)
    from portal.auth.commands import sso_cli

    app.cli.add_command(sso_cli)
    from portal.oversight.commands import platforms_cli

    app.cli.add_command(platforms_cli)
