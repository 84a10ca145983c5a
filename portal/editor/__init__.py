"""Pages for department editors and reviewers: content lists, editing, review, history."""

from flask import Blueprint

editor = Blueprint("editor", __name__, url_prefix="/editor")

from portal.editor import views  # noqa: E402,F401
