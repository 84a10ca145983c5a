"""Forms of the sign-in area."""

from flask_wtf import FlaskForm


class LogoutForm(FlaskForm):
    """Signing out changes state, so it is a POST carrying the CSRF token."""
