"""Oversight (/admin/): the platform registry, health, the 僵尸/影子 report, the audit log, the dashboard."""

from flask import Blueprint

from portal.beijing_time import beijing_text
from portal.knowledge.masking import mask_personal_data

oversight = Blueprint("oversight", __name__, url_prefix="/admin")


@oversight.app_template_filter("beijing")
def _beijing(moment, seconds=False):
    """A stored (UTC) time as Beijing time, 'YYYY-MM-DD HH:MM'."""
    return beijing_text(moment, with_seconds=seconds)


oversight.add_app_template_filter(mask_personal_data, "mask_personal")


@oversight.app_template_global("platform_unreachable")
def _platform_unreachable(platform):
    from portal.oversight.health import unreachable

    return unreachable(platform)

from portal.oversight import views  # noqa: E402,F401
