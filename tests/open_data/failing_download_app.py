"""A portal whose `matters` dataset fails after 3,000 rows, for gunicorn in test_download_failure.py (a separate
process: the test cannot patch it from outside). Its SQLite database is FAILING_APP_DATABASE."""

import dataclasses
import os

from portal import create_app
from portal.extensions import db
from portal.open_data import datasets

app = create_app({"SQLALCHEMY_DATABASE_URI": os.environ["FAILING_APP_DATABASE"]})
with app.app_context():
    db.create_all()
_real_get = datasets.get


def _rows():
    for number in range(3000):
        yield {"code": f"M-FAIL-{number}", "name": "中途失败的下载", "type": "公共服务"}
    raise RuntimeError("the database went away")


def _get(name):
    dataset = _real_get(name)
    return dataclasses.replace(dataset, rows=_rows) if name == "matters" else dataset


datasets.get = _get
