"""The smallest Flask app, the yardstick of bench/search_page_throughput.py."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
@app.get("/healthz")
def hello():
    return "hello, world"
