"""Search data administrators edit (synonyms, best bets) and the signals search learns from
(query log, clicks, page views). None of it holds personal data: no user id, no IP address."""

from portal.extensions import db
from portal.models.base import TimestampMixin, utcnow


class SynonymGroup(TimestampMixin, db.Model):
    """Words people use for the same thing: a query with one of them also searches the others."""

    __tablename__ = "search_synonyms"

    id = db.Column(db.Integer, primary_key=True)
    terms = db.Column(db.Text, nullable=False)  # comma-separated, normalised
    source = db.Column(db.String(20), nullable=False, default="admin")  # admin | seed

    @property
    def term_list(self):
        return [term for term in self.terms.split(",") if term]


class LexiconEntry(TimestampMixin, db.Model):
    """What people call a service (俗称) → the official terms matter names use. A query using the
    term also searches for the official terms, beside its own words (one way: an official term
    does not bring back the colloquial one)."""

    __tablename__ = "search_lexicon"

    id = db.Column(db.Integer, primary_key=True)
    term = db.Column(db.String(50), nullable=False, unique=True)  # normalised
    officials = db.Column(db.Text, nullable=False)  # comma-separated, normalised
    source = db.Column(db.String(20), nullable=False, default="admin")  # curated | alias | hotline | admin
    note = db.Column(db.String(200))  # where it came from (department, file, number of hotline cases)
    # Mined candidates (source hotline) start switched off until an administrator reviews them.
    enabled = db.Column(db.Boolean, nullable=False, default=True)

    @property
    def official_list(self):
        return [term for term in self.officials.split(",") if term]


class BestBet(TimestampMixin, db.Model):
    """A matter an administrator pins to the top of the results for one query, until it expires."""

    __tablename__ = "search_best_bets"
    __table_args__ = (db.UniqueConstraint("query", "matter_id", name="uq_search_best_bets_query_matter"),)

    id = db.Column(db.Integer, primary_key=True)
    query = db.Column(db.String(100), nullable=False, index=True)  # normalised query text
    matter_id = db.Column(db.Integer, db.ForeignKey("matters.id", ondelete="CASCADE"), nullable=False, index=True)
    position = db.Column(db.Integer, nullable=False, default=1)
    expires_on = db.Column(db.Date)  # last day it applies; None = until removed
    comment = db.Column(db.String(300))

    matter = db.relationship("Matter")


class QueryLog(db.Model):
    """One search as asked: the words, the tab, how many results — never who asked."""

    __tablename__ = "search_query_log"

    id = db.Column(db.Integer, primary_key=True)
    at = db.Column(db.DateTime, nullable=False, default=utcnow, index=True)
    query = db.Column(db.String(100), nullable=False, index=True)
    kind = db.Column(db.String(10))
    page = db.Column(db.Integer, nullable=False, default=1)
    results = db.Column(db.Integer, nullable=False, default=0)
    took_ms = db.Column(db.Integer)
    degraded = db.Column(db.Boolean, nullable=False, default=False)
    channel = db.Column(db.String(10), nullable=False, default="page")  # page | api


class SearchClick(db.Model):
    """A click on a result of a search, counted by the search's words and tab (the query log is
    written in batches off the request path, so a page has no log row to point at) — never who."""

    __tablename__ = "search_clicks"

    id = db.Column(db.Integer, primary_key=True)
    at = db.Column(db.DateTime, nullable=False, default=utcnow)
    query = db.Column(db.String(100), nullable=False, index=True)  # normalised, as in the query log
    kind = db.Column(db.String(10))  # the tab searched; None = all kinds
    result_id = db.Column(db.String(40), nullable=False)  # index document id, e.g. matter-12
    position = db.Column(db.Integer, nullable=False)


class PageView(db.Model):
    """Views of a matter's guide page, counted per day (a popularity signal for ranking)."""

    __tablename__ = "matter_page_views"
    __table_args__ = (db.UniqueConstraint("matter_id", "day", name="uq_matter_page_views_matter_day"),)

    id = db.Column(db.Integer, primary_key=True)
    matter_id = db.Column(db.Integer, db.ForeignKey("matters.id", ondelete="CASCADE"), nullable=False, index=True)
    day = db.Column(db.Date, nullable=False)
    views = db.Column(db.Integer, nullable=False, default=0)


class SearchGeneration(db.Model):
    """One row counting the changes to what searches answer: documents made searchable, an index
    rebuilt, synonyms or best bets edited. Shared result pages are valid while it stays put."""

    __tablename__ = "search_generation"

    id = db.Column(db.Integer, primary_key=True)
    value = db.Column(db.BigInteger, nullable=False, default=0)
    changed_at = db.Column(db.DateTime, nullable=False, default=utcnow)
