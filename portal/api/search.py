"""GET /api/v1/search: one search over matters, hotline answers and site articles (DESIGN.md)."""

from flask import jsonify, request

from portal.api import api
from portal.errors import render_error
from portal.permissions import public
from portal.site_search.params import DEFAULT_SIZE, MAX_RAW_QUERY, check_args
from portal.site_search.service import find, make_params
from search.indexes import KINDS
from search.queries import FACETS, MAX_PAGE, MAX_SIZE


@api.route("/search")
@public
def search():
    read, problem = check_args(request.args)
    if problem:
        return render_error(400, problem)
    # The response carries no did-you-mean: not worth a request to Elasticsearch.
    results = find(make_params(**read, hints=False), channel="api")
    base = request.host_url.rstrip("/")
    return jsonify({
        "total": results.total,
        "results": [{
            "id": hit.id, "type": hit.type, "title": hit.title,
            "url": base + hit.url if hit.url.startswith("/") else hit.url,
            "snippet": hit.snippet, "department": hit.department,
        } for hit in results.hits],
        "facets": {
            "type": results.counts,
            **{facet: [{"value": value, "count": count} for value, count in buckets]
               for facet, buckets in results.facets.items()},
        },
        "took_ms": results.took_ms,
        "degraded": results.degraded,
    })


_RESULT = {
    "type": "object", "required": ["id", "type", "title", "url", "snippet", "department"],
    "properties": {
        "id": {"type": "string", "description": "索引文档编号，如 matter-12"},
        "type": {"type": "string", "enum": list(KINDS)},
        "title": {"type": "string"},
        "url": {"type": "string"},
        "snippet": {"type": "string", "description": "摘要：已转义的 HTML，命中处用 <mark> 标出"},
        "department": {"type": ["string", "null"]},
    },
}
_BUCKETS = {"type": "array", "items": {"type": "object", "required": ["value", "count"], "properties": {
    "value": {"type": ["string", "integer"]}, "count": {"type": "integer"}}}}

OPENAPI_SCHEMAS = {
    "SearchResult": _RESULT,
    "SearchResponse": {
        "type": "object", "required": ["total", "results", "facets", "took_ms", "degraded"],
        "properties": {
            "total": {"type": "integer"},
            "results": {"type": "array", "items": {"$ref": "#/components/schemas/SearchResult"}},
            "facets": {
                "type": "object",
                "description": "type：各类结果数（办事/问答/政务公开）；其余为事项的筛选项及数量",
                "properties": {"type": {"type": "object", "additionalProperties": {"type": "integer"}},
                               **dict.fromkeys(FACETS, _BUCKETS)},
            },
            "took_ms": {"type": "integer"},
            "degraded": {"type": "boolean", "description": "true：搜索服务不可用，由数据库按名称查找作答"},
        },
    },
}

_FILTER_PARAMETERS = [
    {"name": facet, "in": "query", "required": False, "schema": {"type": "array", "items": {"type": "string"}},
     "style": "form", "explode": True, "description": "筛选（同一项多个值为“或”，不同项为“且”）"}
    for facet in FACETS
]

OPENAPI_PATHS = {
    "/search": {
        "get": {
            "summary": "搜索办事事项、12345 问答和政务公开文章",
            "tags": ["search"],
            "parameters": [
                {"name": "q", "in": "query", "required": True,
                 "schema": {"type": "string", "minLength": 1, "maxLength": MAX_RAW_QUERY, "pattern": "\\S"},
                 "description": "搜索词：中文、俗称、拼音（shiye dengji）或首字母（yyzz）"},
                {"name": "type", "in": "query", "required": False,
                 "schema": {"type": "string", "enum": list(KINDS)}, "description": "不填则搜索全部类型"},
                {"name": "page", "in": "query", "required": False,
                 "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 1}},
                {"name": "size", "in": "query", "required": False,
                 "schema": {"type": "integer", "minimum": 1, "maximum": MAX_SIZE, "default": DEFAULT_SIZE}},
                *_FILTER_PARAMETERS,
            ],
            "responses": {
                "200": {"description": "搜索结果", "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/SearchResponse"}}}},
                "400": {"description": "参数有误", "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/Error"}}}},
            },
        },
    },
}
