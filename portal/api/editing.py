"""Write endpoints for department editors and reviewers: create and change matters and
department-site articles and move them through the editorial workflow. The same forms validate
as on the editor pages, the same workflow writes versions, audit rows and search outbox rows,
and the same department scoping applies. A bearer token or a signed-in session authenticates.
A call authenticated by the session cookie must carry the session's CSRF token in an
`X-CSRFToken` header, whatever its body (an empty POST needs no JSON and a form on any same-site
origin can send one); a bearer-token call needs none (no browser adds that header by itself)."""

from datetime import UTC, datetime

from flask import abort, current_app, jsonify, request
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from wtforms import FieldList, IntegerField, SelectMultipleField
from wtforms.fields.core import UnboundField

from portal import workflow
from portal.api import api
from portal.auth.tokens import bearer_token
from portal.beijing_time import utc_text
from portal.dept_sites.profile import new_article_slug
from portal.editor.fields import LinesField, YesNoField
from portal.editor.forms import ArticleForm, MatterForm
from portal.editor.service import (
    article_or_404,
    build_form,
    department_platforms,
    form_payload,
    formdata_from_json,
    matter_or_404,
)
from portal.errors import render_error
from portal.extensions import csrf, db
from portal.models import Article, Department, Matter
from portal.permissions import require_department, roles_required

EDITORS = ("editor", "reviewer")
WORKFLOW_ACTIONS = tuple(workflow.ACTIONS)
# A body is an object of fields, some lists of row objects: nothing legitimate nests deeper or runs longer.
MAX_JSON_DEPTH = 4
MAX_LIST_ITEMS = 200


@api.before_request
def require_csrf_token_on_session_writes():
    """Every state-changing /api/v1 call made with the session cookie carries the CSRF token."""
    if request.method in ("GET", "HEAD", "OPTIONS") or not current_app.config.get("WTF_CSRF_ENABLED", True):
        return None
    if bearer_token(request) or not current_user.is_authenticated:
        return None  # a bearer-token call, or nobody signed in (the route answers 401)
    try:
        csrf.protect()
    except CSRFError:
        return _error(400, _("使用登录会话调用写接口时，请在 X-CSRFToken 请求头中带上页面的 CSRF 令牌；"
                             "程序调用请使用 Authorization: Bearer 访问令牌。"))
    return None


def editorial_view(entity):
    kind = workflow.kind_of(entity)
    return {
        "type": kind.entity_type, "id": entity.id,
        **({"code": entity.code} if isinstance(entity, Matter) else {}),
        "department_code": entity.department.code, "status": entity.status, "lock_version": entity.lock_version,
        "scheduled_publish_at": utc_text(entity.scheduled_publish_at, microseconds=True),
        "published_at": utc_text(entity.published_at, microseconds=True),
        "allowed_actions": workflow.allowed_actions(entity, current_user),
        "edition_status": entity.edition_status if workflow.has_edition(entity) else None,
        # What editors work on: a published record's pending edition, else its own content.
        "content": workflow.working_snapshot(entity),
    }


def _error(status, message, **extra):
    """The API's JSON error (portal.errors shape), with extra members such as `fields`."""
    response, code = render_error(status, message)
    if extra:
        body = response.get_json()
        body["error"].update(extra)
        response = jsonify(body)
    response.status_code = code
    return response


def _json_body():
    try:
        body = request.get_json(silent=True) if request.is_json else None
    except RecursionError:  # the parser gives up on a body nested thousands deep
        abort(_error(400, _("请求体嵌套层级过深（最多 %(n)s 层）。", n=MAX_JSON_DEPTH)))
    if not isinstance(body, dict):
        message = _("请求体须为 JSON 对象（Content-Type: application/json）。")
        abort(_error(400 if request.is_json else 415, message))
    _check_shape(body)
    return body


def _check_shape(value, name="", depth=1):
    """Refuse bodies nested deeper than MAX_JSON_DEPTH or with a list longer than MAX_LIST_ITEMS (one
    request must not occupy a worker for minutes), naming the field."""
    if depth > MAX_JSON_DEPTH:
        abort(_error(400, _("请求体嵌套层级过深（最多 %(n)s 层）。", n=MAX_JSON_DEPTH),
                     fields={name or "body": [_("嵌套层级过深")]}))
    if isinstance(value, list):
        if len(value) > MAX_LIST_ITEMS:
            abort(_error(400, _("%(field)s 最多 %(n)s 项。", field=name, n=MAX_LIST_ITEMS),
                         fields={name: [_("最多 %(n)s 项", n=MAX_LIST_ITEMS)]}))
        for index, item in enumerate(value):
            _check_shape(item, f"{name}[{index}]", depth + 1)
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_shape(item, f"{name}.{key}" if name else str(key), depth + 1)


def _editable_fields(form_class):
    return {field.short_name for field in form_class(formdata=None, meta={"csrf": False})} - {"csrf_token"}


def _validated_form(form_class, entity, document, department_id, base=None):
    """The form for `document` laid over `base`, or an error response naming each field's problem."""
    editable = _editable_fields(form_class)
    unknown = sorted(set(document) - editable - {"lock_version", "department_code"})
    if unknown:
        message = _("未知字段：%(fields)s", fields="、".join(unknown))
        abort(_error(400, message, fields={name: [_("未知字段")] for name in unknown}))
    base = {name: value for name, value in (base or {}).items() if name in editable}
    # Without a base (PUT), nothing of the stored content may fill a field the document leaves out.
    form = build_form(form_class, entity, formdata=formdata_from_json(form_class, {**base, **document}),
                      data=None if base else {}, platforms_for=department_platforms(department_id),
                      meta={"csrf": False})
    if not form.validate():
        abort(_error(400, _("提交的内容有误，请按 fields 中的说明修改。"), fields=_flat_errors(form.errors)))
    return form


def _flat_errors(errors, prefix=""):
    """WTForms' nested errors as {"materials[0].name": [...], "name": [...]}."""
    flat = {}
    for name, problems in errors.items():
        key = f"{prefix}{name}"
        if problems and all(isinstance(problem, dict) for problem in problems):
            for index, row in enumerate(problems):
                flat.update(_flat_errors(row, f"{key}[{index}]."))
        elif problems:
            flat[key] = [str(problem) for problem in problems]
    return flat


def _run(change):
    """Call the workflow; its refusals become JSON errors (403 not permitted, 409 conflicts)."""
    try:
        return change()
    except workflow.NotPermitted as refused:
        abort(_error(403, refused.message))
    except (workflow.StaleEdit, workflow.IllegalTransition) as refused:
        abort(_error(409, refused.message))
    except workflow.WorkflowError as refused:
        abort(_error(400, refused.message))


def _create(model, form_class):
    """A new draft in the caller's department (an admin names one with department_code)."""
    document = _json_body()
    department = current_user.department
    department_code = document.pop("department_code", None)
    if department_code and current_user.has_role("admin"):
        department = db.session.scalar(db.select(Department).where(Department.code == department_code))
    if department is None:
        return _error(400, _("请用 department_code 指明所属部门。"))
    require_department(department.id)
    payload = form_payload(_validated_form(form_class, None, document, department.id))
    if model is Matter and db.session.scalar(db.select(Matter.id).where(Matter.code == payload["code"])):
        return _error(409, _("事项编码已存在，请换一个。"))
    if model is Article:
        payload["slug"] = new_article_slug()
    created = _run(lambda: workflow.create(model, payload, current_user, department.id))
    return jsonify(editorial_view(created)), 201


def _update(entity, form_class):
    document = _json_body()
    lock_version = document.get("lock_version")
    if not isinstance(lock_version, int):
        return _error(400, _("请提供您修改所基于的 lock_version（整数），以免覆盖他人的修改。"))
    document.pop("code", None)  # a matter's code is set once, at creation
    # PATCH changes the fields given; PUT replaces the content (fields left out become empty).
    base = workflow.working_snapshot(entity) if request.method == "PATCH" else {}
    form = _validated_form(form_class, entity, document, entity.department_id, base)
    _run(lambda: workflow.save(entity, form_payload(form), current_user, lock_version))
    return jsonify(editorial_view(entity))


def _transition(entity, action):
    document = _json_body() if request.content_length else {}
    try:
        publish_at = _publish_time(document.get("publish_at"))
    except ValueError:
        return _error(400, _("publish_at 须为 ISO 8601 时间，如 2026-12-01T09:00:00+08:00。"))
    _run(lambda: workflow.transition(entity, action, current_user, expected_version=document.get("lock_version"),
                                     comment=document.get("comment"), publish_at=publish_at))
    return jsonify(editorial_view(entity))


def _publish_time(text):
    """ISO 8601 → naive UTC (a time without an offset is taken as UTC)."""
    if not text:
        return None
    moment = datetime.fromisoformat(str(text))
    return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment


def _known_action(action):
    if action not in WORKFLOW_ACTIONS:
        abort(404)
    return action


@api.route("/matters", methods=["POST"])
@roles_required(*EDITORS)
@csrf.exempt
def create_matter():
    return _create(Matter, MatterForm)


@api.route("/matters/<code>/editorial")
@roles_required(*EDITORS)
def get_editorial_matter(code):
    return jsonify(editorial_view(matter_or_404(code)))


@api.route("/matters/<code>", methods=["PATCH", "PUT"])
@roles_required(*EDITORS)
@csrf.exempt
def update_matter(code):
    return _update(matter_or_404(code), MatterForm)


@api.route("/matters/<code>/<action>", methods=["POST"])
@roles_required(*EDITORS)
@csrf.exempt
def matter_transition(code, action):
    return _transition(matter_or_404(code), _known_action(action))


@api.route("/articles", methods=["POST"])
@roles_required(*EDITORS)
@csrf.exempt
def create_article():
    return _create(Article, ArticleForm)


@api.route("/articles/<int:article_id>/editorial")
@roles_required(*EDITORS)
def get_editorial_article(article_id):
    return jsonify(editorial_view(article_or_404(article_id)))


@api.route("/articles/<int:article_id>", methods=["PATCH", "PUT"])
@roles_required(*EDITORS)
@csrf.exempt
def update_article(article_id):
    return _update(article_or_404(article_id), ArticleForm)


@api.route("/articles/<int:article_id>/<action>", methods=["POST"])
@roles_required(*EDITORS)
@csrf.exempt
def article_transition(article_id, action):
    return _transition(article_or_404(article_id), _known_action(action))


def _content_schema(form_class):
    """The JSON shape of a form's content, read from its declared fields (so it never drifts)."""
    declared = sorted(
        ((name, value) for klass in reversed(form_class.__mro__) for name, value in vars(klass).items()
         if isinstance(value, UnboundField)),
        key=lambda item: item[1].creation_counter,
    )
    properties = {}
    for name, unbound in declared:
        if name == "lock_version":
            continue
        field_class = unbound.field_class
        if issubclass(field_class, FieldList):
            properties[name] = {"type": "array", "items": _content_schema(unbound.args[0].args[0])}
        elif issubclass(field_class, LinesField | SelectMultipleField):
            properties[name] = {"type": "array", "items": {"type": "string"}}
        elif issubclass(field_class, YesNoField):
            properties[name] = {"type": ["boolean", "null"]}
        elif issubclass(field_class, IntegerField) or name == "platform_id":
            properties[name] = {"type": ["integer", "null"]}
        else:
            properties[name] = {"type": ["string", "null"]}
    return {"type": "object", "properties": properties}


def _ref(name):
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema, description):
    return {"description": description, "content": {"application/json": {"schema": schema}}}


OPENAPI_SCHEMAS = {
    "MatterContent": {**_content_schema(MatterForm),
                      "description": "事项的全部可编辑字段；子列表为对象数组，顺序即显示顺序。"},
    "ArticleContent": {**_content_schema(ArticleForm),
                       "description": "文章的可编辑字段；body_html 保存前按白名单清理（nh3）。"},
    "EditorialRecord": {
        "type": "object",
        "required": ["type", "id", "department_code", "status", "lock_version", "allowed_actions", "content"],
        "properties": {
            "type": {"type": "string", "enum": ["matter", "article"]}, "id": {"type": "integer"},
            "code": {"type": "string", "description": "事项编码（仅事项）"}, "department_code": {"type": "string"},
            "status": {"type": "string", "enum": ["draft", "in_review", "published", "withdrawn"]},
            "edition_status": {"type": ["string", "null"], "enum": ["draft", "in_review", None],
                               "description": "已发布内容的修改稿状态（修改稿审核通过前，公开的仍是已发布版本）"},
            "lock_version": {"type": "integer", "description": "修改时原样带回；他人先改了会得到 409"},
            "scheduled_publish_at": {"type": ["string", "null"]}, "published_at": {"type": ["string", "null"]},
            "allowed_actions": {"type": "array", "items": {"type": "string", "enum": list(WORKFLOW_ACTIONS)}},
            "content": {"type": "object", "additionalProperties": True,
                        "description": "可编辑内容：已发布内容有修改稿时为修改稿"},
        },
    },
    "ValidationError": {
        "type": "object", "required": ["error"],
        "properties": {"error": {"type": "object", "required": ["code", "title", "message"], "properties": {
            "code": {"type": "integer"}, "title": {"type": "string"}, "message": {"type": "string"},
            "fields": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
        }}},
    },
}

_SECURITY = [{"bearer": []}]
_PUBLISH_AT = {"type": "string", "format": "date-time", "description": "定时发布时间（ISO 8601，不带时区按 UTC）"}
_ERRORS = {
    "401": _json(_ref("Error"), "未登录或令牌无效"),
    "403": _json(_ref("Error"), "不是本部门的编辑/审核人员，或无权执行此操作"),
}
_RECORD = _ref("EditorialRecord")


def _record_paths(collection, key, key_schema, content, what, required_on_create):
    """The write paths of one record type: create, read for editing, change, workflow actions."""
    key_parameter = [{"name": key, "in": "path", "required": True, "schema": key_schema}]
    item = f"/{collection}/{{{key}}}"
    not_found = {"404": _json(_ref("Error"), f"没有该{what}")}

    def body(*extra_schemas):
        return {"required": True, "content": {"application/json": {"schema": {
            "allOf": [_ref(content), *extra_schemas]}}}}

    return {
        f"/{collection}": {"post": {
            "summary": f"新建{what}草稿（编辑、审核人员；管理员可用 department_code 指定部门）",
            "security": _SECURITY,
            "requestBody": body({"type": "object", "required": list(required_on_create),
                                 "properties": {"department_code": {"type": "string"}}}),
            "responses": {"201": _json(_RECORD, "已新建草稿"), "400": _json(_ref("ValidationError"), "内容有误"),
                          **_ERRORS, "409": _json(_ref("Error"), "编码已存在")},
        }},
        f"{item}/editorial": {"get": {
            "summary": f"{what}的当前编辑内容（任何状态）、版本号和可执行的操作",
            "security": _SECURITY, "parameters": key_parameter,
            "responses": {"200": _json(_RECORD, what), **_ERRORS, **not_found},
        }},
        item: {method: {
            "summary": summary, "security": _SECURITY, "parameters": key_parameter,
            "requestBody": body({"type": "object", "required": ["lock_version"],
                                 "properties": {"lock_version": {"type": "integer"}}}),
            "responses": {"200": _json(_RECORD, "已保存（或没有改动）"),
                          "400": _json(_ref("ValidationError"), "内容有误"), **_ERRORS, **not_found,
                          "409": _json(_ref("Error"), "他人已修改（lock_version 过旧），或当前状态不能修改")},
        } for method, summary in (("patch", "修改给出的字段（须带 lock_version）"),
                                  ("put", "整体替换可编辑内容（未给出的字段清空；须带 lock_version）"))},
        **{f"{item}/{action}": {"post": {
            "summary": f"工作流操作：{action}",
            "security": _SECURITY, "parameters": key_parameter,
            "requestBody": {"required": False, "content": {"application/json": {"schema": {
                "type": "object", "properties": {
                    "lock_version": {"type": "integer"}, "comment": {"type": "string"},
                    **({"publish_at": _PUBLISH_AT} if action == "approve" else {}),
                }}}}},
            "responses": {"200": _json(_RECORD, "已完成"), **_ERRORS, **not_found,
                          "400": _json(_ref("Error"), "缺少意见或时间格式有误"),
                          "409": _json(_ref("Error"), "当前状态不能执行此操作，或他人已修改")},
        }} for action in WORKFLOW_ACTIONS},
    }


OPENAPI_PATHS = {
    **_record_paths("matters", "code", {"type": "string"}, "MatterContent", "事项", ("code", "name")),
    **_record_paths("articles", "article_id", {"type": "integer"}, "ArticleContent", "文章",
                    ("column", "title", "body_html")),
}
