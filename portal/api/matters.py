"""GET /api/v1/matters (filters, pagination) and GET /api/v1/matters/<code>: the published catalogue."""

from flask import jsonify, request, url_for
from flask_babel import gettext as _

from portal.api import api
from portal.beijing_time import utc_text
from portal.catalogue.browse import DIMENSIONS, MAX_PAGE_SIZE, PAGE_SIZE, browse, published_matter
from portal.errors import render_error
from portal.permissions import public


def matter_summary(matter):
    return {
        "code": matter.code, "name": matter.name, "type": matter.matter_type,
        "department": matter.department.name, "department_code": matter.department.code,
        "level": matter.level, "audiences": matter.audiences or [], "themes": matter.themes or [],
        "online": bool(matter.handling_url),
        "url": url_for("catalogue.guide", code=matter.code, _external=True),
    }


def _rows(items, *fields):
    return [{name: getattr(item, name) for name in fields} for item in items]


def matter_detail(matter):
    platform = matter.platform
    return {
        **matter_summary(matter),
        "base_name": matter.base_name, "short_name": matter.short_name, "aliases": matter.aliases or [],
        "region_code": matter.region_code, "region_name": matter.region_name, "life_events": matter.life_events or [],
        "co_departments": matter.co_departments, "conditions": matter.conditions,
        "legal_time_limit_days": matter.legal_time_limit_days,
        "promised_time_limit_days": matter.promised_time_limit_days, "time_limit_note": matter.time_limit_note,
        "fee_free": matter.fee_free, "location": matter.location, "office_hours": matter.office_hours,
        "consult_phone": matter.consult_phone, "complain_phone": matter.complain_phone,
        "handling_type": matter.handling_type, "online_depth": matter.online_depth,
        "visits_required": matter.visits_required, "courier": matter.courier, "online_booking": matter.online_booking,
        "handling_url": matter.handling_url, "mobile_handling_url": matter.mobile_handling_url,
        "go_url": url_for("catalogue.go", code=matter.code, _external=True) if matter.handling_url else None,
        "platform": None if platform is None else {
            "code": platform.code, "name": platform.name, "sso_connected": platform.sso_connected,
            "is_down": platform.is_down, "downtime_message": platform.downtime_message,
        },
        "status": matter.status, "version": matter.lock_version,
        "published_at": utc_text(matter.published_at, microseconds=True),
        "materials": _rows(matter.materials, "name", "original_or_copy", "medium", "requirement", "copies",
                           "source_channel", "blank_form_url", "sample_url", "note"),
        "fees": _rows(matter.fees, "item", "standard", "basis", "reduction"),
        "legal_bases": _rows(matter.legal_bases, "title", "article"),
        "steps": _rows(matter.steps, "name", "description", "time_limit"),
        "faqs": _rows(matter.faqs, "question", "answer"),
        "items": _rows(matter.items, "code", "name", "situation", "handling_url"),
    }


@api.route("/matters")
@public
def list_matters():
    page, size = request.args.get("page", "1"), request.args.get("size", str(PAGE_SIZE))
    if not (page.isdecimal() and size.isdecimal() and int(page) >= 1 and 1 <= int(size) <= MAX_PAGE_SIZE):
        return render_error(400, _("page 须为正整数，size 须在 1 到 %(max)s 之间。", max=MAX_PAGE_SIZE))
    filters = {dimension: request.args.get(dimension, "").strip() for dimension in DIMENSIONS}
    result = browse(filters, page=int(page), size=int(size))
    return jsonify({
        "total": result.total, "page": result.page, "size": result.size,
        "results": [matter_summary(matter) for matter in result.matters],
        "facets": {dimension: [{"value": item.value, "label": item.label, "count": item.count} for item in items]
                   for dimension, items in result.facets.items()},
    })


@api.route("/matters/<code>")
@public
def get_matter(code):
    matter = published_matter(code)
    if matter is None:
        return render_error(404, _("没有编码为 %(code)s 的已发布事项。", code=code))
    return jsonify(matter_detail(matter))


def _nullable(kind):
    return {"type": [kind, "null"]}


STRING_LIST = {"type": "array", "items": {"type": "string"}}


def _object(properties, required=()):
    return {"type": "object", "required": list(required or properties), "properties": properties}


def NULLABLE_STRINGS(*names):  # noqa: N802 - reads like the schema constants it builds
    return {name: _nullable("string") for name in names}

OPENAPI_SCHEMAS = {
    "MatterSummary": _object({
        "code": {"type": "string"}, "name": {"type": "string"}, "type": _nullable("string"),
        "department": {"type": "string"}, "department_code": {"type": "string"}, "level": _nullable("string"),
        "audiences": STRING_LIST, "themes": STRING_LIST, "online": {"type": "boolean"},
        "url": {"type": "string", "format": "uri"},
    }),
    "Matter": {"allOf": [{"$ref": "#/components/schemas/MatterSummary"}, _object({
        **NULLABLE_STRINGS("base_name", "short_name", "region_code", "region_name", "co_departments", "conditions",
                           "time_limit_note", "location", "office_hours", "consult_phone", "complain_phone",
                           "handling_type", "handling_url", "mobile_handling_url", "go_url", "published_at"),
        "aliases": STRING_LIST, "life_events": STRING_LIST,
        "legal_time_limit_days": _nullable("integer"), "promised_time_limit_days": _nullable("integer"),
        "online_depth": _nullable("integer"), "visits_required": _nullable("integer"),
        "fee_free": _nullable("boolean"), "courier": _nullable("boolean"), "online_booking": _nullable("boolean"),
        "platform": {"oneOf": [{"type": "null"}, _object({
            "code": {"type": "string"}, "name": {"type": "string"}, "sso_connected": {"type": "boolean"},
            "is_down": {"type": "boolean"}, "downtime_message": _nullable("string"),
        })]},
        "status": {"type": "string", "enum": ["published"]}, "version": {"type": "integer"},
        "materials": {"type": "array", "items": _object({
            "name": {"type": "string"}, "copies": _nullable("integer"),
            **NULLABLE_STRINGS("original_or_copy", "medium", "requirement", "source_channel", "blank_form_url",
                               "sample_url", "note"),
        })},
        "fees": {"type": "array", "items": _object(
            {"item": {"type": "string"}, **NULLABLE_STRINGS("standard", "basis", "reduction")})},
        "legal_bases": {"type": "array", "items": _object(
            {"title": {"type": "string"}, **NULLABLE_STRINGS("article")})},
        "steps": {"type": "array", "items": _object(
            {"name": {"type": "string"}, **NULLABLE_STRINGS("description", "time_limit")})},
        "faqs": {"type": "array", "items": _object({"question": {"type": "string"}, "answer": {"type": "string"}})},
        "items": {"type": "array", "items": _object(
            {"name": {"type": "string"}, **NULLABLE_STRINGS("code", "situation", "handling_url")})},
    })]},
    "FacetValue": _object({"value": {"type": "string"}, "label": {"type": "string"}, "count": {"type": "integer"}}),
    "MatterList": _object({
        "total": {"type": "integer"}, "page": {"type": "integer"}, "size": {"type": "integer"},
        "results": {"type": "array", "items": {"$ref": "#/components/schemas/MatterSummary"}},
        "facets": {"type": "object", "additionalProperties": {
            "type": "array", "items": {"$ref": "#/components/schemas/FacetValue"}}},
    }),
}


def _json(schema_name, description):
    return {"description": description,
            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema_name}"}}}}


FILTER_DESCRIPTIONS = {
    "theme": "主题分类，如 交通出行", "life_event": "一件事，如 出生一件事", "department": "部门编码",
    "audience": "服务对象：自然人 或 法人", "level": "层级：省 / 市 / 县 / 乡", "type": "事项类型，如 行政许可",
}
OPENAPI_PATHS = {
    "/matters": {"get": {
        "summary": "已发布的办事事项（可筛选、分页），附各维度计数",
        "parameters": [
            {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1, "default": 1}},
            {"name": "size", "in": "query",
             "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE, "default": PAGE_SIZE}},
            *({"name": name, "in": "query", "description": text, "schema": {"type": "string"}}
              for name, text in FILTER_DESCRIPTIONS.items()),
        ],
        "responses": {"200": _json("MatterList", "一页事项"), "400": _json("Error", "分页参数无效")},
    }},
    "/matters/{code}": {"get": {
        "summary": "一个已发布事项的全部办事指南字段",
        "parameters": [{"name": "code", "in": "path", "required": True, "schema": {"type": "string"}}],
        "responses": {"200": _json("Matter", "事项"), "404": _json("Error", "没有该已发布事项")},
    }},
}
