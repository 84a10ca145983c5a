"""The synonym table: seeding it, reading it for the evaluation, editing it (with audit)."""

from sqlalchemy import func, select

from portal import audit
from portal.extensions import db
from portal.models import SynonymGroup
from portal.site_search.service import search_settings_changed, synonym_table
from search.synonyms import parse_terms, seed_groups, table_from_groups


def seed(data_dir):
    """Add the seed groups that are not there yet (a re-run adds nothing)."""
    existing = {group.terms for group in db.session.scalars(select(SynonymGroup))}
    added = 0
    for terms in seed_groups(data_dir):
        joined = ",".join(terms)
        if joined not in existing:
            db.session.add(SynonymGroup(terms=joined, source="seed"))
            existing.add(joined)
            added += 1
    db.session.commit()
    search_settings_changed()
    return added


def synonym_table_or_seed():
    """The administrators' table, or the seed groups when nobody has loaded it yet."""
    from flask import current_app

    if db.session.scalar(select(func.count()).select_from(SynonymGroup)):
        return synonym_table()
    return table_from_groups(seed_groups(current_app.config["SHARED_DATA_DIR"]))


def save_group(actor, terms_text, group=None):
    """Create or change a group; returns it, or None when fewer than two terms were given."""
    terms = parse_terms(terms_text)
    if len(terms) < 2:
        return None
    before = group.terms if group else None
    if group is None:
        group = SynonymGroup(terms=",".join(terms), source="admin")
        db.session.add(group)
    else:
        group.terms = ",".join(terms)
    db.session.flush()
    audit.record(actor, "update" if before else "create", "synonym", group.id,
                 before={"terms": before} if before else None, after={"terms": group.terms})
    db.session.commit()
    search_settings_changed()
    return group


def delete_group(actor, group):
    audit.record(actor, "delete", "synonym", group.id, before={"terms": group.terms})
    db.session.delete(group)
    db.session.commit()
    search_settings_changed()
