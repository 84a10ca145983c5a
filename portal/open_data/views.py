"""/open/: dataset pages and downloads, the DCAT catalogue, the change feed (JSON and Atom), one
published record by its public id, and the licence page."""

import time

from flask import Response, abort, current_app, jsonify, render_template, request
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user

from portal.errors import render_error
from portal.extensions import limiter
from portal.open_data import catalog, changes, datasets, downloads
from portal.open_data import open_data as blueprint
from portal.permissions import public

FEED_PAGE, FEED_MAX = 500, 1000
ATOM_ENTRIES = 100


def download_client():
    """Who a download limit counts against: a signed-in user or bearer-token client, else the address."""
    if current_user.is_authenticated:
        return f"user:{current_user.id}"
    return f"ip:{get_remote_address()}"


def _download_limit():
    return current_app.config["OPEN_DATA_DOWNLOAD_LIMIT"]


@blueprint.errorhandler(429)
def too_many_downloads(error):
    limit = getattr(limiter, "current_limit", None)
    retry_after = max(1, int(limit.reset_at - time.time())) if limit is not None else 60
    message = _("下载过于频繁：每个用户（未登录时每个网络地址）的批量下载次数有限（%(limit)s）。"
                "请在 %(seconds)s 秒后再试；数据未变化时带上 If-None-Match 请求不计次数。",
                limit=_download_limit(), seconds=retry_after)
    if request.accept_mimetypes.best in ("text/html", None) and not request.path.endswith(tuple(downloads.FORMATS)):
        response, status = render_error(429, message)
        response = current_app.make_response((response, status))
    else:
        response = jsonify({"error": {"code": 429, "title": _("请求过于频繁"), "message": message}})
        response.status_code = 429
    response.headers["Retry-After"] = str(retry_after)
    return response


@blueprint.route("/")
@public
def index():
    listed = [(dataset, catalog.row_count(dataset), dataset.modified()) for dataset in datasets.main_datasets()]
    return render_template("open_data/index.html", listed=listed)


@blueprint.route("/licence")
@public
def licence():
    return render_template("open_data/licence.html", licence_url=datasets.LICENCE_URL,
                           licence_name=datasets.LICENCE_NAME, limit=_download_limit())


@blueprint.route("/catalog.jsonld", endpoint="catalog")
@public
def catalog_jsonld():
    response = jsonify(catalog.dcat_catalog())
    response.content_type = "application/ld+json; charset=utf-8"
    return response


def _cursor_argument(name, default):
    value = request.args.get(name, str(default)).strip()
    if not value.isdecimal():
        return None
    return int(value)


@blueprint.route("/changes")
@public
def change_feed():
    since = _cursor_argument("since", 0)
    limit = _cursor_argument("limit", FEED_PAGE)
    if since is None or limit is None or not 1 <= limit <= FEED_MAX:
        return _json_error(400, _("since 须为非负整数游标，limit 须在 1 到 %(max)s 之间。", max=FEED_MAX))
    rows = changes.changes_since(since, limit)
    response = jsonify({
        "changes": [catalog.change_json(row) for row in rows],
        "next": rows[-1].cursor if rows else since,
        "more": len(rows) == limit,
    })
    response.headers["Cache-Control"] = "no-cache"
    return response


@blueprint.route("/changes.atom")
@public
def change_feed_atom():
    rows = changes.latest_changes(ATOM_ENTRIES)
    return Response(catalog.atom_feed(rows, request.host.split(":")[0]),
                    content_type="application/atom+xml; charset=utf-8")


@blueprint.route("/records/<entity>/<public_id>")
@public
def record(entity, public_id):
    """The current published state of one record, shaped as its dataset's JSON Lines row."""
    if entity == "matter":
        rows = list(datasets.matter_rows(codes=[public_id]))
    elif entity == "answer" and public_id.isdecimal():
        rows = list(datasets.answer_rows(ids=[int(public_id)]))
    elif entity == "message" and public_id.isdecimal():
        rows = list(datasets.message_rows(ids=[int(public_id)]))
    else:
        rows = []
    if not rows:
        return _json_error(404, _("没有这条已发布的记录（可能已撤回）。"))
    return jsonify(rows[0])


@blueprint.route("/<name>")
@public
def dataset(name):
    found = datasets.get(name) or abort(404)
    return render_template(
        "open_data/dataset.html", dataset=found, count=catalog.row_count(found), modified=found.modified(),
        related=datasets.related(found.name), parent=datasets.get(found.parent) if found.parent else None,
        formats=downloads.FORMATS,
    )


@blueprint.route("/<name>.<fmt>")
@public
@limiter.limit(_download_limit, key_func=download_client, deduct_when=lambda response: response.status_code == 200)
def download(name, fmt):
    found = datasets.get(name)
    if found is None or fmt not in downloads.FORMATS:
        return _json_error(404, _("没有这个数据集或格式。可用的数据集见 /open/catalog.jsonld。"))
    return downloads.download(found, fmt)


def _json_error(code, message):
    titles = {400: _("请求有误"), 404: _("不存在")}
    return jsonify({"error": {"code": code, "title": titles.get(code, ""), "message": message}}), code
