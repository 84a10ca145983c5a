"""Elasticsearch: index definitions, Chinese analysis, indexing, queries and evaluation.

Never imports from `portal`: the portal calls into this package, not the other way round.
"""
