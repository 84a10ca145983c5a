"""The consolidated department sites (政府网站集约化): /dept/<slug>/ for every department, one template set."""

from flask import Blueprint

dept_sites = Blueprint("dept_sites", __name__, url_prefix="/dept")

from portal.dept_sites import views  # noqa: E402,F401
