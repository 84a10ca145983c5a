"""The smallest Flask app, the yardstick of bench/pages.py (served with the same gunicorn.conf.py)."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
@app.get("/healthz")
def hello():
    return "hello, world"
