"""The portal given several Elasticsearch nodes (a cluster): ELASTICSEARCH_URL takes comma-separated URLs, a
node that refuses connections is skipped, and every index keeps a replica once a second node joins."""

import socket

import pytest

from portal import create_app
from search.client import node_urls
from search.indexes import create_index, new_index_name

pytestmark = pytest.mark.integration


def _closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_node_urls_are_split_on_commas():
    assert node_urls("http://127.0.0.1:9200") == ["http://127.0.0.1:9200"]
    assert node_urls(" http://a:9200, http://b:9201 ,") == ["http://a:9200", "http://b:9201"]
    with pytest.raises(ValueError):
        node_urls(" , ")


def test_a_dead_node_is_skipped(app, elasticsearch, database_url):
    dead = f"http://127.0.0.1:{_closed_port()}"
    portal = create_app({"SQLALCHEMY_DATABASE_URI": database_url,
                         "SEARCH_INDEX_PREFIX": app.config["SEARCH_INDEX_PREFIX"],
                         "ELASTICSEARCH_URL": f"{dead},{app.config['ELASTICSEARCH_URL']}"})
    state = portal.extensions["search_client"]
    for _ in range(3):  # whichever node the client picks first, the request reaches the live one
        assert state.es.cluster.health()["status"] in ("green", "yellow")


def test_indexes_get_a_replica_when_a_second_node_joins(app, elasticsearch):
    from portal.extensions import search_client

    with app.app_context():
        name = create_index(elasticsearch, new_index_name(search_client.index_prefix, "replicas"))
    try:
        settings = elasticsearch.indices.get_settings(index=name)[name]["settings"]["index"]
        assert settings["auto_expand_replicas"] == "0-1"
        # one node here: no replica is allocated and the index stays green
        assert elasticsearch.cluster.health(index=name, timeout="5s")["status"] == "green"
    finally:
        elasticsearch.indices.delete(index=name)
