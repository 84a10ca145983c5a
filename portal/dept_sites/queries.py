"""What a department site shows: only published matters and articles."""

from portal.extensions import db
from portal.models import ARTICLE_COLUMNS, Article, Department, Matter
from portal.models.base import STATUS_PUBLISHED

ARTICLES_PER_COLUMN_ON_HOME = 5
MATTERS_ON_HOME = 20


def department_by_slug(slug):
    return db.session.scalar(db.select(Department).where(Department.slug == slug))


def published_matters(department):
    return db.select(Matter).where(Matter.department_id == department.id, Matter.status == STATUS_PUBLISHED) \
        .order_by(Matter.name)


def published_articles(department, column=None):
    query = db.select(Article).where(Article.department_id == department.id, Article.status == STATUS_PUBLISHED)
    if column:
        query = query.where(Article.column == column)
    return query.order_by(Article.published_at.desc(), Article.id.desc())


def home_articles(department):
    """The newest few articles of each 政务公开 column, columns in their fixed order (one query)."""
    newest = db.func.row_number().over(partition_by=Article.column,
                                       order_by=(Article.published_at.desc(), Article.id.desc())).label("rank")
    ranked = published_articles(department).add_columns(newest).order_by(None).subquery()
    chosen = db.aliased(Article, ranked)
    rows = db.session.scalars(db.select(chosen).where(ranked.c.rank <= ARTICLES_PER_COLUMN_ON_HOME)
                              .order_by(ranked.c.published_at.desc(), ranked.c.id.desc())).all()
    by_column = {column: [] for column in ARTICLE_COLUMNS}
    for article in rows:
        by_column.setdefault(article.column, []).append(article)
    return {column: by_column[column] for column in ARTICLE_COLUMNS}


def published_article(department, article_slug):
    return db.session.scalar(published_articles(department).where(Article.slug == article_slug))
