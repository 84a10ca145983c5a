"""The portal's search glue, in one place: everything between the portal and the search library
`search/` (which never imports the portal).

- params.py      reading a search request: the words normalised once, page, size, kind and
                 filters kept to what a search may be (pages forgive bad values, the API refuses them)
- service.py     running searches: make_params (every portal search's SearchParams), the
                 administrators' synonyms, lexicon and best bets, the per-app store of recent
                 results and suggestions, the query log, the database fallback
- index.py       records from the models, reindex (new index + alias swap), the outbox sync worker
- generation.py  the search generation: the count that tells every cache when results change
- commands.py    `flask search reindex|sync|evaluate|seed-synonyms|seed-lexicon`
- pages/         the public blueprint `search_pages`: /search, suggestions, click tracking
- admin/         the administrators' blueprint `search_admin`: /admin/search/ (synonyms,
                 lexicon, best bets, query analytics)

Templates stay one folder per blueprint: portal/templates/search_pages/ and search_admin/.
The transactional outbox (portal/outbox.py) is not here: every publish calls it, and it feeds
open data's change feed as well as this package's sync worker.
"""
