"""The 12345 operator console, the call log and hand-offs (工单) to departments."""

from flask import Blueprint

hotline = Blueprint("hotline", __name__, url_prefix="/hotline")

from portal.hotline import views  # noqa: E402,F401
