"""The OpenAPI document for the whole API, merged from the OPENAPI_PATHS and OPENAPI_SCHEMAS
of each API module, so a route and its description live side by side."""

import importlib

from flask import jsonify

from portal.api import api
from portal.permissions import public

# API modules, in the order their paths appear in the document.
API_MODULES = ["matters", "editing", "search", "open_data"]

ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "title", "message"],
            "properties": {"code": {"type": "integer"}, "title": {"type": "string"}, "message": {"type": "string"}},
        }
    },
}


def openapi_document():
    paths, schemas = {}, {"Error": ERROR_SCHEMA}
    for name in API_MODULES:
        module = importlib.import_module(f"portal.api.{name}")
        for path, operations in getattr(module, "OPENAPI_PATHS", {}).items():
            paths.setdefault(path, {}).update(operations)  # modules may add methods to a shared path
        schemas.update(getattr(module, "OPENAPI_SCHEMAS", {}))
    return {
        "openapi": "3.1.0",
        "info": {"title": "一网通办政务服务门户 API", "version": "1.0.0"},
        "servers": [{"url": "/api/v1"}],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}},
        },
    }


@api.route("/openapi.json")
@public
def openapi_json():
    return jsonify(openapi_document())
