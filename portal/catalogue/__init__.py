"""Public catalogue pages: browsing, the matter guide (办事指南), 在线办理 link-through and 好差评."""

from flask import Blueprint

catalogue = Blueprint("catalogue", __name__)

from portal.catalogue import views  # noqa: E402,F401
