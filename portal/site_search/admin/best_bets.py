"""Best bets: an administrator pins matters to the top of one query's results until a date."""

from flask_babel import gettext as _
from sqlalchemy import select

from portal import audit
from portal.extensions import db
from portal.models import BestBet, Matter
from portal.models.base import utcnow
from portal.site_search.service import search_settings_changed
from search.analysis import normalize


class BestBetError(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


def all_best_bets():
    return db.session.scalars(select(BestBet).order_by(BestBet.query, BestBet.position, BestBet.id)).all()


def is_active(bet, today=None):
    return bet.expires_on is None or bet.expires_on >= (today or utcnow().date())


def add_best_bet(actor, query, matter_code, position=1, expires_on=None, comment=None):
    query = normalize(query)
    matter = db.session.scalar(select(Matter).where(Matter.code == matter_code.strip()))
    if matter is None:
        raise BestBetError(_("没有这个编码的事项。"))
    if expires_on is not None and expires_on < utcnow().date():
        raise BestBetError(_("有效期不能早于今天。"))
    if db.session.scalar(select(BestBet).where(BestBet.query == query, BestBet.matter_id == matter.id)):
        raise BestBetError(_("这个搜索词已经推荐了该事项。"))
    bet = BestBet(query=query, matter_id=matter.id, position=position or 1, expires_on=expires_on, comment=comment)
    db.session.add(bet)
    db.session.flush()
    audit.record(actor, "create", "best_bet", bet.id, after=_state(bet, matter))
    db.session.commit()
    search_settings_changed()
    return bet


def remove_best_bet(actor, bet):
    audit.record(actor, "delete", "best_bet", bet.id, before=_state(bet, bet.matter))
    db.session.delete(bet)
    db.session.commit()
    search_settings_changed()


def _state(bet, matter):
    return {"query": bet.query, "matter": matter.code, "position": bet.position,
            "expires_on": bet.expires_on.isoformat() if bet.expires_on else None, "comment": bet.comment}
