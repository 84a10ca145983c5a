"""好差评 (service evaluations) as 国办发〔2019〕51号 sets them: five levels, one evaluation per
signed-in user per matter; a 差评 opens a rectification item for the department, which it
rectifies within 15 working days or appeals (申诉复核) to the portal's administrators."""

from portal.extensions import db
from portal.models.base import TimestampMixin, utcnow


def N_(text):  # noqa: N802 - Babel's marker: labels stored or compared as they are, translated where shown
    return text


# Level value → label, best first; the values are what is stored.
RATING_LEVELS = {5: N_("非常满意"), 4: N_("满意"), 3: N_("基本满意"), 2: N_("不满意"), 1: N_("非常不满意")}
# 不满意 and 非常不满意 are 差评.
POOR_RATING_MAX = 2
RECTIFICATION_WORKING_DAYS = 15

RECTIFICATION_OPEN = "open"  # waiting for the department
RECTIFICATION_DONE = "rectified"  # the department replied with what it changed
RECTIFICATION_APPEALED = "appealed"  # the department appealed; waiting for 复核
RECTIFICATION_VOID = "void"  # appeal upheld: the evaluation no longer counts
RECTIFICATION_STATUSES = (RECTIFICATION_OPEN, RECTIFICATION_DONE, RECTIFICATION_APPEALED, RECTIFICATION_VOID)

APPEAL_PENDING = "pending"
APPEAL_UPHELD = "upheld"
APPEAL_REJECTED = "rejected"
APPEAL_STATUSES = (APPEAL_PENDING, APPEAL_UPHELD, APPEAL_REJECTED)


class Rating(db.Model):
    __tablename__ = "ratings"
    __table_args__ = (
        db.UniqueConstraint("matter_id", "user_id", name="uq_ratings_matter_user"),
        db.CheckConstraint("level BETWEEN 1 AND 5", name="level_range"),
    )

    id = db.Column(db.Integer, primary_key=True)
    matter_id = db.Column(db.Integer, db.ForeignKey("matters.id", ondelete="CASCADE"), nullable=False, index=True)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True)
    level = db.Column(db.Integer, nullable=False)
    comment = db.Column(db.Text)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    # False once an appeal against it was upheld: it is then left out of the public counts.
    counted = db.Column(db.Boolean, nullable=False, default=True)

    matter = db.relationship("Matter")
    rectification = db.relationship("Rectification", back_populates="rating", uselist=False)

    @property
    def label(self):
        return RATING_LEVELS[self.level]

    @property
    def is_poor(self):
        return self.level <= POOR_RATING_MAX


class Rectification(TimestampMixin, db.Model):
    """整改: what a 差评 asks of the matter's department."""

    __tablename__ = "rectifications"

    id = db.Column(db.Integer, primary_key=True)
    rating_id = db.Column(db.Integer, db.ForeignKey("ratings.id", ondelete="CASCADE"), nullable=False, unique=True)
    department_id = db.Column(db.Integer, db.ForeignKey("departments.id"), nullable=False, index=True)
    status = db.Column(db.String(12), nullable=False, default=RECTIFICATION_OPEN, index=True)
    due_on = db.Column(db.Date, nullable=False)
    response = db.Column(db.Text)  # what the department changed, shown to the evaluator
    rectified_at = db.Column(db.DateTime)

    rating = db.relationship("Rating", back_populates="rectification")
    department = db.relationship("Department")
    appeals = db.relationship("Appeal", order_by="Appeal.id", back_populates="rectification")


class Appeal(db.Model):
    """申诉复核: the department contests a 差评; an administrator upholds or rejects it."""

    __tablename__ = "rating_appeals"

    id = db.Column(db.Integer, primary_key=True)
    rectification_id = db.Column(
        db.Integer, db.ForeignKey("rectifications.id", ondelete="CASCADE"), nullable=False, index=True
    )
    reason = db.Column(db.Text, nullable=False)
    status = db.Column(db.String(10), nullable=False, default=APPEAL_PENDING, index=True)
    filed_by_id = db.Column(db.Integer, db.ForeignKey("users.id"))
    filed_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    decided_by_id = db.Column(db.Integer, db.ForeignKey("users.id"))
    decided_at = db.Column(db.DateTime)
    decision_note = db.Column(db.Text)

    rectification = db.relationship("Rectification", back_populates="appeals")
