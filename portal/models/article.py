"""Pages and news of the consolidated department sites (政府网站集约化)."""

from portal.extensions import db
from portal.models.base import EditorialMixin, VersionSnapshotMixin

# 政务公开 columns every department site shows.
ARTICLE_COLUMNS = ("通知公告", "政策文件", "政策解读", "工作动态", "机构职能", "规划计划", "统计数据")


class Article(EditorialMixin, db.Model):
    __tablename__ = "articles"
    __table_args__ = (db.UniqueConstraint("department_id", "slug", name="uq_articles_department_slug"),)

    id = db.Column(db.Integer, primary_key=True)
    department_id = db.Column(db.Integer, db.ForeignKey("departments.id"), nullable=False, index=True)
    column = db.Column(db.String(20), nullable=False)
    title = db.Column(db.String(300), nullable=False)
    slug = db.Column(db.String(200), nullable=False)
    summary = db.Column(db.Text)
    body_html = db.Column(db.Text, nullable=False, default="")  # sanitized with nh3 before it is stored

    department = db.relationship("Department")
    versions = db.relationship(
        "ArticleVersion", order_by="ArticleVersion.version", cascade="all, delete-orphan",
        back_populates="article",
    )


class ArticleVersion(VersionSnapshotMixin, db.Model):
    __tablename__ = "article_versions"
    __table_args__ = (db.UniqueConstraint("article_id", "version", name="uq_article_versions_article_version"),)

    article_id = db.Column(db.Integer, db.ForeignKey("articles.id", ondelete="CASCADE"), nullable=False, index=True)

    article = db.relationship("Article", back_populates="versions")
