"""Flask CLI commands (`flask --app wsgi …`). Each area adds its own group here."""


def register(app):
    """Attach the command groups of every area of the portal."""
