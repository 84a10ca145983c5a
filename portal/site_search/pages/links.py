"""Links from a results page to the same search with one thing changed (tab, page, spelling,
a facet value), built from one copy of the query string per page: a page has a few dozen facet
links, and encoding the whole query string again for each one was a third of its rendering.
The results' click-through links likewise share the encoded words and tab, and only their own
id, position and target are encoded per result (url_for for each was a tenth of the page's CPU)."""

from functools import lru_cache
from urllib.parse import quote_plus, urlencode

# What Werkzeug's url_for leaves unescaped in a query string (werkzeug.urls._urlencode): the click
# links built here are byte for byte the ones url_for built.
URL_FOR_SAFE = "!$'()*,/:;?@"

# A facet value as a query string value (as urlencode writes it). The values are few and come back
# on page after page (departments, matter types, themes, levels): each is encoded once per process.
_facet_value = lru_cache(maxsize=4096)(quote_plus)


class SearchLinks:
    def __init__(self, path, args):
        """path: the search page's URL; args: the query string as {name: [values]}, in order."""
        self.path = path
        self.args = {name: values for name, values in args.items() if name != "page"}
        # Each parameter encoded once per page ("name=value&name=value"), for url_with to join.
        self._encoded = {name: urlencode({name: values}, doseq=True) for name, values in self.args.items()}

    def url_with(self, **changes):
        """This search with some parameters changed (None removes one), on page 1 unless a page is
        given: urlencode(the changed parameters, doseq=True), with only the changed ones encoded."""
        encoded = dict(self._encoded)
        for name, value in changes.items():
            if value is None:
                encoded.pop(name, None)
            else:
                encoded[name] = urlencode({name: value if isinstance(value, list) else [value]}, doseq=True)
        return self._url("&".join(part for part in encoded.values() if part))

    def facet_links(self, facet, buckets):
        """[(value, count, chosen, url)] for a facet's [(value, count)]: each link adds its value to
        the filter, or takes it out when chosen. The URLs are url_with's, with the parameters
        before and after the facet, and the values already chosen, encoded once for all of them."""
        chosen = self.args.get(facet, [])
        names = list(self.args)
        at = names.index(facet) if facet in self.args else len(names)
        before = urlencode({name: self.args[name] for name in names[:at]}, doseq=True)
        after = urlencode({name: self.args[name] for name in names[at + 1:]}, doseq=True)
        name = quote_plus(facet) + "="
        kept = "&".join(name + quote_plus(each) for each in chosen)
        links = []
        for value, count in buckets:
            text = str(value)
            if text in chosen:
                middle = urlencode({facet: [each for each in chosen if each != text]}, doseq=True)
            else:
                middle = f"{kept}&{name}{_facet_value(text)}" if kept else name + _facet_value(text)
            links.append((value, count, text in chosen,
                          self._url("&".join(part for part in (before, middle, after) if part))))
        return links

    def _url(self, query):
        return f"{self.path}?{query}"


def click_links(path, q, kind, hits, first_position):
    """The click-through URL of each hit, as url_for(path's endpoint, q=q, type=kind, id=hit.id,
    pos=position, to=hit.url) builds it (None values left out), the first hit at first_position."""
    common = _url_for_query((("q", q), ("type", kind)))
    urls = []
    for position, hit in enumerate(hits, start=first_position):
        own = _url_for_query((("id", hit.id), ("pos", position), ("to", hit.url)))
        query = "&".join(part for part in (common, own) if part)
        urls.append(f"{path}?{query}" if query else path)
    return urls


def _url_for_query(items):
    """urlencode(items without their None values, safe=URL_FOR_SAFE) for our own plain parameter
    names, without urlencode's checks of each name and value's type."""
    return "&".join(f"{name}={quote_plus(str(value), safe=URL_FOR_SAFE)}" for name, value in items
                    if value is not None)
