"""12345 hotline knowledge items (answers) and their versions."""

from portal.extensions import db
from portal.models.base import EditorialMixin, VersionSnapshotMixin

answer_matters = db.Table(
    "answer_matters",
    db.Column("answer_id", db.Integer, db.ForeignKey("answers.id", ondelete="CASCADE"), primary_key=True),
    db.Column("matter_id", db.Integer, db.ForeignKey("matters.id", ondelete="CASCADE"), primary_key=True),
)


class Answer(EditorialMixin, db.Model):
    __tablename__ = "answers"
    # The review flag is raised by changes elsewhere, not edited: kept out of versions and restores.
    workflow_bookkeeping = frozenset({"needs_review", "review_reason"})

    id = db.Column(db.Integer, primary_key=True)
    source_ref = db.Column(db.String(64), unique=True)  # id in the imported data set, for idempotent import
    question = db.Column(db.Text, nullable=False)
    phrasings = db.Column(db.JSON, nullable=False, default=list)  # the ways callers ask it
    public_answer = db.Column(db.Text, nullable=False)
    internal_note = db.Column(db.Text)  # operators only
    category = db.Column(db.String(200))
    department_id = db.Column(db.Integer, db.ForeignKey("departments.id"), index=True)
    valid_until = db.Column(db.Date)
    # Public FAQ items are curated by editors; imported hotline replies are operators' internal
    # knowledge (console search) and material for editors until an editor makes them public.
    public = db.Column(db.Boolean, nullable=False, default=True, server_default=db.true())
    replied_at = db.Column(db.DateTime)  # when the department really replied (imported records)
    # Set when a linked matter changed after this answer was last reviewed (待复核).
    needs_review = db.Column(db.Boolean, nullable=False, default=False)
    review_reason = db.Column(db.JSON)

    department = db.relationship("Department")
    matters = db.relationship("Matter", secondary=answer_matters, backref="answers")
    versions = db.relationship(
        "AnswerVersion", order_by="AnswerVersion.version", cascade="all, delete-orphan",
        back_populates="answer",
    )


class AnswerVersion(VersionSnapshotMixin, db.Model):
    __tablename__ = "answer_versions"
    __table_args__ = (db.UniqueConstraint("answer_id", "version", name="uq_answer_versions_answer_version"),)

    answer_id = db.Column(db.Integer, db.ForeignKey("answers.id", ondelete="CASCADE"), nullable=False, index=True)

    answer = db.relationship("Answer", back_populates="versions")
