"""Open data (开放数据): the portal's datasets as CSV, JSON and JSON Lines at /open/, the DCAT
catalogue, the change feed, and departments' information resource catalogue (政务信息资源目录)."""

from flask import Blueprint

open_data = Blueprint("open_data", __name__, url_prefix="/open", cli_group="open-data")

from portal.open_data import cli, resource_views, views  # noqa: E402,F401
