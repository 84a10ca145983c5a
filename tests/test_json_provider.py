"""The portal's JSON answers are written by orjson (portal/json_provider.py) and say what Flask's own
provider says."""

import dataclasses
import datetime
import decimal
import json
import uuid

import pytest
from flask import Flask
from flask.json.provider import DefaultJSONProvider
from markupsafe import Markup

from portal.json_provider import OrjsonProvider

pytestmark = pytest.mark.unit


@dataclasses.dataclass
class _Row:
    name: str
    count: int


VALUES = [
    {"b": 1, "a": "办事指南", "c": None, "d": [1.5, True, 10**15]},
    {3: "三", 1: "一"},
    datetime.datetime(2026, 12, 1, 8, 30),
    datetime.date(2026, 1, 2),
    _Row("材料", 2),
    decimal.Decimal("1.50"),
    uuid.UUID(int=1),
    Markup("<b>粗</b>"),
]


@pytest.fixture
def providers():
    app = Flask(__name__)
    return OrjsonProvider(app), DefaultJSONProvider(app)


@pytest.mark.parametrize("value", VALUES, ids=lambda value: type(value).__name__)
def test_it_writes_what_flask_writes(providers, value):
    orjson_provider, flask_provider = providers
    written = orjson_provider.dumps(value)
    assert json.loads(written) == json.loads(flask_provider.dumps(value))


def test_keys_come_sorted_and_chinese_as_utf8(providers):
    assert providers[0].dumps({"b": "中", "a": 1}) == '{"a":1,"b":"中"}'


def test_an_answer_is_compact_json(providers):
    app = Flask(__name__)
    app.json = OrjsonProvider(app)
    with app.app_context():
        response = app.json.response({"标题": "户口迁移"})
    assert response.mimetype == "application/json"
    assert response.get_data(as_text=True) == '{"标题":"户口迁移"}\n'


def test_options_orjson_has_not_go_to_the_standard_library(providers):
    assert providers[0].dumps({"a": 1}, indent=2) == '{\n  "a": 1\n}'


def test_what_neither_can_write_is_a_type_error(providers):
    with pytest.raises(TypeError):
        providers[0].dumps({"a": object()})
