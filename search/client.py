"""A small client for the portal's Elasticsearch, configured in init_app like other Flask extensions.

State lives in `app.extensions`, so several apps (tests build more than one) never share it.
"""

from dataclasses import dataclass

from elasticsearch import Elasticsearch
from elasticsearch.serializer import OrjsonSerializer
from flask import current_app

# Searches must answer fast (SEARCH_TIMEOUT_SECONDS); writes may take longer without harm.
INDEXING_TIMEOUT_SECONDS = 60


@dataclass
class _SearchState:
    es: Elasticsearch
    index_prefix: str


def node_urls(setting):
    """ELASTICSEARCH_URL as a list of node URLs: one URL, or several separated by commas (a cluster)."""
    urls = [url.strip() for url in setting.split(",") if url.strip()] if isinstance(setting, str) else list(setting)
    if not urls:
        raise ValueError("ELASTICSEARCH_URL names no Elasticsearch node")
    return urls


class SearchClient:
    def init_app(self, app):
        nodes = node_urls(app.config["ELASTICSEARCH_URL"])
        app.extensions["search_client"] = _SearchState(
            es=Elasticsearch(
                nodes,
                request_timeout=app.config["SEARCH_TIMEOUT_SECONDS"],
                retry_on_timeout=False,
                # A node that refuses the connection is marked dead and the request goes to the next one:
                # with a cluster a search survives the loss of a node; with one node it fails at once.
                max_retries=len(nodes) - 1,
                # orjson: a search's body out and its answer in cost the portal a third of the
                # stdlib's time (the JSON was about a tenth of its CPU per uncached search).
                serializer=OrjsonSerializer(),
            ),
            index_prefix=app.config["SEARCH_INDEX_PREFIX"],
        )

    @property
    def es(self):
        return current_app.extensions["search_client"].es

    @property
    def indexing_es(self):
        """The client with a timeout long enough for index creation and bulk writes."""
        return self.es.options(request_timeout=INDEXING_TIMEOUT_SECONDS)

    @property
    def index_prefix(self):
        return current_app.extensions["search_client"].index_prefix

    def alias(self, kind):
        """The alias that searches of one kind (matter, answer, article) go through."""
        return f"{self.index_prefix}-{kind}"

    def health(self, timeout):
        """'ok' when the cluster is at least yellow, otherwise a short reason."""
        try:
            health = self.es.options(request_timeout=timeout).cluster.health()
        except Exception as error:  # noqa: BLE001 - any failure means "not ready"
            return f"unavailable: {type(error).__name__}"
        return "ok" if health["status"] in ("green", "yellow") else f"status {health['status']}"
