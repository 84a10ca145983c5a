"""Oversight (/admin/): the platform registry, health, the 僵尸/影子 report, the audit log, the dashboard."""

from flask import Blueprint

oversight = Blueprint("oversight", __name__, url_prefix="/admin")

from portal.oversight import views  # noqa: E402,F401
