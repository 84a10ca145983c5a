"""Links from a results page to the same search with one thing changed (tab, page, spelling,
a facet value), built from one copy of the query string per page: a page has a few dozen facet
links, and encoding the whole query string again for each one was a third of its rendering."""

from urllib.parse import urlencode


class SearchLinks:
    def __init__(self, path, args):
        """path: the search page's URL; args: the query string as {name: [values]}, in order."""
        self.path = path
        self.args = {name: values for name, values in args.items() if name != "page"}

    def url_with(self, **changes):
        """This search with some parameters changed (None removes one), on page 1 unless a page is given."""
        args = dict(self.args)
        for name, value in changes.items():
            if value is None:
                args.pop(name, None)
            else:
                args[name] = value if isinstance(value, list) else [value]
        return self._url(urlencode(args, doseq=True))

    def facet_links(self, facet, buckets):
        """[(value, count, chosen, url)] for a facet's [(value, count)]: each link adds its value to
        the filter, or takes it out when chosen. The URLs are url_with's, with the parameters
        before and after the facet encoded once for all of them."""
        chosen = self.args.get(facet, [])
        names = list(self.args)
        at = names.index(facet) if facet in self.args else len(names)
        before = urlencode({name: self.args[name] for name in names[:at]}, doseq=True)
        after = urlencode({name: self.args[name] for name in names[at + 1:]}, doseq=True)
        links = []
        for value, count in buckets:
            text = str(value)
            values = [each for each in chosen if each != text] if text in chosen else [*chosen, text]
            middle = urlencode({facet: values}, doseq=True)
            links.append((value, count, text in chosen,
                          self._url("&".join(part for part in (before, middle, after) if part))))
        return links

    def _url(self, query):
        return f"{self.path}?{query}"
