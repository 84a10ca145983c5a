"""The open data downloads and change feed (portal/open_data/, served under /open) in the API's
OpenAPI document. The routes live in the open_data blueprint; each path here names /open as its
server, since the document's default server is /api/v1."""

from portal.open_data.datasets import MATTER_CHILDREN, MATTER_COLUMNS
from portal.open_data.views import FEED_MAX, FEED_PAGE

OPEN_SERVER = [{"url": "/open", "description": "开放数据"}]
JSON_TYPES = {"string": ["string", "null"], "integer": ["integer", "null"], "number": ["number", "null"],
              "boolean": ["boolean", "null"], "date": ["string", "null"], "datetime": ["string", "null"],
              "array": "array", "object": "object"}
ERROR = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
DATASET_NAMES = [
    "matters", *MATTER_CHILDREN, "departments", "platforms", "answers", "messages", "ratings-monthly",
    "search-weekly",
]


def _matter_row():
    properties = {name: {"type": JSON_TYPES[kind], "description": str(meaning)}
                  for name, kind, meaning in MATTER_COLUMNS}
    for name in ("code", "name", "department", "url"):
        properties[name]["type"] = "string"
    for key, _model, columns in MATTER_CHILDREN.values():
        properties[key] = {"type": "array", "items": {"type": "object", "properties": {
            name: {"type": JSON_TYPES[kind], "description": str(meaning)} for name, kind, meaning in columns}}}
    return {"type": "object", "required": ["code", "name", "type", "department", "url", "version"],
            "properties": properties}


OPENAPI_SCHEMAS = {
    "OpenChange": {
        "type": "object",
        "required": ["cursor", "entity", "id", "action", "version", "time", "href"],
        "properties": {
            "cursor": {"type": "integer", "description": "变更在流中的位置，按提交顺序递增"},
            "entity": {"type": "string", "enum": ["matter", "answer", "message"],
                       "description": "matter 对应数据集 matters（id 为 code），answer 对应 answers，"
                                      "message 对应 messages（id 为编号）"},
            "id": {"type": "string"},
            "action": {"type": "string", "enum": ["upsert", "delete"]},
            "version": {"type": "integer"},
            "time": {"type": "string", "format": "date-time"},
            "href": {"type": ["string", "null"], "format": "uri",
                     "description": "upsert 时：该记录当前已发布内容（与 JSONL 行相同）；delete 时为 null"},
        },
    },
    "OpenChangeFeed": {
        "type": "object",
        "required": ["changes", "next", "more"],
        "properties": {
            "changes": {"type": "array", "items": {"$ref": "#/components/schemas/OpenChange"}},
            "next": {"type": "integer", "description": "下次请求的 since"},
            "more": {"type": "boolean", "description": "本页已满，可能还有更多变更"},
        },
    },
    "OpenMatterRow": _matter_row(),
}

OPENAPI_PATHS = {
    "/{dataset}.{format}": {
        "servers": OPEN_SERVER,
        "get": {
            "summary": "下载数据集（流式；CSV 为 UTF-8 带 BOM）",
            "description": "每个数据集的字段及含义见 /open/<dataset> 页面，全部数据集见 /open/catalog.jsonld（DCAT）。"
                           "响应带 ETag；带 If-None-Match 且数据未变时返回 304（不计入频率限制）。"
                           "matters、answers 及事项相关数据表的响应头 X-Changes-Cursor 为读取数据前变更流的位置，"
                           "之后用 /open/changes?since=<该值> 保持同步。",
            "tags": ["open data"],
            "parameters": [
                {"name": "dataset", "in": "path", "required": True,
                 "schema": {"type": "string", "enum": DATASET_NAMES}},
                {"name": "format", "in": "path", "required": True,
                 "schema": {"type": "string", "enum": ["csv", "json", "jsonl"]}},
                {"name": "If-None-Match", "in": "header", "required": False, "schema": {"type": "string"}},
            ],
            "responses": {
                "200": {
                    "description": "数据集全部行。JSON 为数组，JSON Lines 每行一个对象（matters 的行见 OpenMatterRow）",
                    "headers": {
                        "ETag": {"schema": {"type": "string"}},
                        "X-Changes-Cursor": {"schema": {"type": "integer"}},
                    },
                    "content": {
                        "text/csv": {"schema": {"type": "string"}},
                        "application/json": {"schema": {"type": "array", "items": {"type": "object"}}},
                        "application/jsonl": {"schema": {"$ref": "#/components/schemas/OpenMatterRow"}},
                    },
                },
                "304": {"description": "数据未变化"},
                "404": {"description": "没有这个数据集或格式", **ERROR},
                "429": {"description": "下载过于频繁（按用户或网络地址限制）",
                        "headers": {"Retry-After": {"schema": {"type": "integer"}, "description": "秒"}}, **ERROR},
            },
        },
    },
    "/changes": {
        "servers": OPEN_SERVER,
        "get": {
            "summary": "变更流：已发布内容的每次更新和撤回，按提交顺序，可续读",
            "tags": ["open data"],
            "parameters": [
                {"name": "since", "in": "query", "required": False,
                 "schema": {"type": "integer", "minimum": 0, "default": 0}, "description": "上次读到的 next"},
                {"name": "limit", "in": "query", "required": False,
                 "schema": {"type": "integer", "minimum": 1, "maximum": FEED_MAX, "default": FEED_PAGE}},
            ],
            "responses": {
                "200": {"description": "cursor 大于 since 的变更，最旧的在前", "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/OpenChangeFeed"}}}},
                "400": {"description": "since 或 limit 有误", **ERROR},
            },
        },
    },
    "/changes.atom": {
        "servers": OPEN_SERVER,
        "get": {
            "summary": "最近 100 次变更（Atom）",
            "tags": ["open data"],
            "responses": {"200": {"description": "Atom 订阅", "content": {"application/atom+xml": {
                "schema": {"type": "string"}}}}},
        },
    },
    "/records/{entity}/{id}": {
        "servers": OPEN_SERVER,
        "get": {
            "summary": "一条记录当前的已发布内容（变更流中的 href）",
            "tags": ["open data"],
            "parameters": [
                {"name": "entity", "in": "path", "required": True,
                 "schema": {"type": "string", "enum": ["matter", "answer", "message"]}},
                {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}},
            ],
            "responses": {
                "200": {"description": "与数据集 JSON Lines 的一行相同", "content": {"application/json": {
                    "schema": {"type": "object"}}}},
                "404": {"description": "没有这条已发布的记录（可能已撤回）", **ERROR},
            },
        },
    },
    "/catalog.jsonld": {
        "servers": OPEN_SERVER,
        "get": {
            "summary": "数据目录（DCAT，JSON-LD）",
            "tags": ["open data"],
            "responses": {"200": {"description": "dcat:Catalog", "content": {"application/ld+json": {
                "schema": {"type": "object"}}}}},
        },
    },
}
