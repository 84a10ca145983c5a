"""The colloquial lexicon: seeding it (with provenance), reading it for the evaluation, editing it
(with audit). Matching lives in search/lexicon.py."""

from dataclasses import dataclass

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select

from portal import audit
from portal.extensions import db
from portal.models import LexiconEntry
from portal.site_search.params import whole_number
from portal.site_search.service import lexicon_table, search_settings_changed
from search.lexicon import MAX_TERM_LENGTH, mine_hotline_terms, seed_entries, table_from_entries
from search.synonyms import parse_terms


def seed(data_dir, with_hotline=True, official_vocabulary=None):
    """Add the seed entries whose term is not in the table yet (a re-run adds nothing; entries
    administrators changed are left alone). Returns {source: number added}."""
    existing = set(db.session.scalars(select(LexiconEntry.term)))
    entries = seed_entries(data_dir)
    if with_hotline and official_vocabulary:
        entries += mine_hotline_terms(data_dir, official_vocabulary)
    added = {}
    for entry in entries:
        if entry.term in existing or len(entry.term) > MAX_TERM_LENGTH:
            continue
        db.session.add(LexiconEntry(term=entry.term, officials=",".join(entry.officials), source=entry.source,
                                    note=(entry.note or None) and entry.note[:200],
                                    enabled=entry.source != "hotline"))
        existing.add(entry.term)
        added[entry.source] = added.get(entry.source, 0) + 1
    db.session.commit()
    search_settings_changed()
    return added


def lexicon_table_or_seed():
    """The administrators' lexicon, or the seed entries when nobody has loaded it yet."""
    if db.session.scalar(select(func.count()).select_from(LexiconEntry)):
        return lexicon_table()
    return table_from_entries(seed_entries(current_app.config["SHARED_DATA_DIR"]))


class LexiconError(ValueError):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


def save_entry(actor, term_text, officials_text, note=None, entry=None, enabled=True):
    """Create or change an entry; raises LexiconError with a message for the form."""
    from flask_babel import gettext as _

    terms = parse_terms(term_text)
    officials = [official for official in parse_terms(officials_text) if official not in terms]
    if len(terms) != 1:
        raise LexiconError(_("请只填写一个俗称。"))
    if not officials:
        raise LexiconError(_("请至少填写一个与俗称不同的规范用语。"))
    term = terms[0]
    clash = db.session.scalar(select(LexiconEntry).where(LexiconEntry.term == term))
    if clash is not None and clash is not entry:
        raise LexiconError(_("这个俗称已经在词表中，请修改已有的词条。"))
    before = ({"term": entry.term, "officials": entry.officials, "note": entry.note, "enabled": entry.enabled}
              if entry else None)
    if entry is None:
        entry = LexiconEntry(term=term, source="admin")
        db.session.add(entry)
    entry.term, entry.officials, entry.note, entry.enabled = term, ",".join(officials), (note or None), enabled
    db.session.flush()
    audit.record(actor, "update" if before else "create", "lexicon", entry.id, before=before,
                 after={"term": entry.term, "officials": entry.officials, "note": entry.note, "enabled": enabled})
    db.session.commit()
    search_settings_changed()
    return entry


def delete_entry(actor, entry):
    audit.record(actor, "delete", "lexicon", entry.id, before={"term": entry.term, "officials": entry.officials})
    db.session.delete(entry)
    db.session.commit()
    search_settings_changed()


LEXICON_PAGE_SIZE = 50
SOURCE_LABELS = {
    "curated": _l("整理的常用说法"), "alias": _l("事项简称"), "hotline": _l("12345 来信挖掘（待审核）"),
    "admin": _l("管理员"),
}


@dataclass
class LexiconPage:
    entries: list
    total: int
    page: int
    pages: int
    q: str
    source: str
    counts: dict  # source → entries


def lexicon_page(q="", source="", page=1):
    """One page of the lexicon for the admin screen, filtered by words and source."""
    from search.analysis import normalize

    q = normalize(q)[:50]
    source = source if source in SOURCE_LABELS else ""
    statement = select(LexiconEntry)
    if q:
        statement = statement.where(or_(LexiconEntry.term.contains(q, autoescape=True),
                                        LexiconEntry.officials.contains(q, autoescape=True)))
    if source:
        statement = statement.where(LexiconEntry.source == source)
    total = db.session.scalar(select(func.count()).select_from(statement.subquery()))
    pages = max(1, -(-total // LEXICON_PAGE_SIZE))
    page = whole_number(page, 1, 1, pages)
    entries = db.session.scalars(statement.order_by(LexiconEntry.enabled, LexiconEntry.term)
                                 .offset((page - 1) * LEXICON_PAGE_SIZE).limit(LEXICON_PAGE_SIZE)).all()
    counts = dict(db.session.execute(select(LexiconEntry.source, func.count()).group_by(LexiconEntry.source)).all())
    return LexiconPage(entries, total, page, pages, q, source, counts)
