"""What each part of an uncached search costs Elasticsearch: the portal's own bodies for distinct
queries sent straight to Elasticsearch, whole and with parts removed, the variants interleaved per
query (so a machine that gets busier or quieter affects them alike), each the minimum `took` of
--repeat sends.

    .venv/bin/python bench/search_took.py [--queries 100] [--skip 0] [--repeat 3]
        [--variants "whole;aggs;kinds;facets;highlight;collapse;total;functions"] [--prefix bench-latency]

Variants: `whole` (the body as sent), or parts removed, comma-separated within one variant:
aggs (all aggregations), kinds (the tab counts), facets, highlight, collapse, total (exact total
off), functions (every function_score layer). Uses the SQLite database and index of bench/pages.py
(`make bench` makes them; --database and --prefix to change). The queries are bench/pages.py's
distinct queries: the citizen set first, then 12345 questions (--skip 300 starts among those).
"""

import argparse
import copy
import statistics
import sys

from harness import REPO
from pages import INDEX_PREFIX, SQLITE_PATH, distinct_queries

PARTS = ("aggs", "kinds", "facets", "highlight", "collapse", "total", "functions")


def _without_functions(node):
    while isinstance(node, dict) and "function_score" in node:
        node = node["function_score"]["query"]
    if isinstance(node, dict) and "bool" in node:
        node["bool"] = {key: [_without_functions(clause) for clause in value] if isinstance(value, list)
                        else _without_functions(value) for key, value in node["bool"].items()}
    return node


def without(body, parts):
    body = copy.deepcopy(body)
    aggs = body.get("aggs", {})
    for part in parts:
        if part == "aggs":
            body.pop("aggs", None)
        elif part == "kinds":
            aggs.pop("kinds", None)
        elif part == "facets":
            for name in [name for name in aggs if name.startswith("facet_")]:
                aggs.pop(name)
        elif part in ("highlight", "collapse"):
            body.pop(part, None)
        elif part == "total":
            body["track_total_hits"] = False
        elif part == "functions":
            body["query"] = _without_functions(body["query"])
        else:
            raise SystemExit(f"unknown part {part!r} (known: {', '.join(PARTS)})")
    if not body.get("aggs"):
        body.pop("aggs", None)
    return body


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=int, default=100)
    parser.add_argument("--skip", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--variants", default="whole;" + ";".join(PARTS))
    parser.add_argument("--database", default=f"sqlite:///{SQLITE_PATH}")
    parser.add_argument("--prefix", default=INDEX_PREFIX)
    arguments = parser.parse_args()
    sys.path.insert(0, str(REPO))
    from portal import create_app
    from portal.extensions import search_client
    from portal.site_search.service import make_params
    from search.queries import aliases_for, build_body

    app = create_app({"SQLALCHEMY_DATABASE_URI": arguments.database, "SEARCH_INDEX_PREFIX": arguments.prefix,
                      "SEARCH_TIMEOUT_SECONDS": 30})
    queries = distinct_queries()[arguments.skip:arguments.skip + arguments.queries]
    variants = [variant.strip() for variant in arguments.variants.split(";") if variant.strip()]
    with app.app_context():
        es, index = search_client.es, aliases_for(arguments.prefix)
        bodies = [build_body(make_params(query, hints=False)) for query in queries]
        shaped = {variant: [without(body, [] if variant == "whole" else variant.split(",")) for body in bodies]
                  for variant in variants}
        for body in bodies[:10]:  # warm-up
            es.search(index=index, body=body, ignore_unavailable=True)
        took = {variant: [] for variant in variants}
        matches = []
        for position in range(len(queries)):
            best = dict.fromkeys(variants, float("inf"))
            for _ in range(arguments.repeat):
                for variant in variants:
                    response = es.search(index=index, body=shaped[variant][position], ignore_unavailable=True)
                    best[variant] = min(best[variant], response["took"])
            matches.append(es.count(index=index, query=bodies[position]["query"], ignore_unavailable=True)["count"])
            for variant in variants:
                took[variant].append(best[variant])
    print(f"{len(queries)} distinct queries from {arguments.skip}, minimum took of {arguments.repeat}, "
          f"{statistics.fmean(matches):,.0f} matching documents on average (index prefix {arguments.prefix})")
    for variant in variants:
        label = "whole body" if variant == "whole" else f"without {variant}"
        print(f"  {label:40} took mean {statistics.fmean(took[variant]):5.1f} ms, "
              f"median {statistics.median(took[variant]):5.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
