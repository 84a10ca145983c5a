"""Public pages of every department's site."""

from flask import abort, render_template, request

from portal import page_cache
from portal.dept_sites import dept_sites
from portal.dept_sites.queries import (
    MATTERS_ON_HOME,
    department_by_slug,
    home_articles,
    published_article,
    published_articles,
    published_matters,
)
from portal.extensions import db
from portal.models import ARTICLE_COLUMNS, Department
from portal.permissions import public
from portal.sanitize import safe_html

PAGE_SIZE = 20


def _department_or_404(slug):
    return department_by_slug(slug) or abort(404)


def _page():
    return max(request.args.get("page", 1, type=int), 1)


@dept_sites.route("/")
@public
def directory():
    page_cache.share()
    departments = db.session.scalars(db.select(Department).order_by(Department.region_name, Department.name)).all()
    regions = {}
    for department in departments:  # a department without a region name goes under 其他, last
        regions.setdefault((department.region_name or "").strip(), []).append(department)
    regions = sorted(regions.items(), key=lambda item: (not item[0], item[0]))
    return render_template("dept_sites/directory.html", departments=departments, regions=regions)


@dept_sites.route("/<slug>/")
@public
def home(slug):
    page_cache.share()
    department = _department_or_404(slug)
    matters = db.paginate(published_matters(department), page=1, per_page=MATTERS_ON_HOME, error_out=False)
    return render_template(
        "dept_sites/home.html", department=department, matters=matters,
        articles_by_column=home_articles(department), introduction=safe_html(department.introduction),
    )


@dept_sites.route("/<slug>/matters")
@public
def matters(slug):
    page_cache.share()
    department = _department_or_404(slug)
    page = db.paginate(published_matters(department), page=_page(), per_page=PAGE_SIZE, error_out=False)
    return render_template("dept_sites/matters.html", department=department, matters=page)


@dept_sites.route("/<slug>/columns/<column>")
@public
def column(slug, column):
    page_cache.share()
    department = _department_or_404(slug)
    if column not in ARTICLE_COLUMNS:
        abort(404)
    page = db.paginate(published_articles(department, column), page=_page(), per_page=PAGE_SIZE, error_out=False)
    return render_template("dept_sites/column.html", department=department, column=column, articles=page)


@dept_sites.route("/<slug>/articles/<article_slug>")
@public
def article(slug, article_slug):
    page_cache.share()
    department = _department_or_404(slug)
    found = published_article(department, article_slug) or abort(404)
    return render_template("dept_sites/article.html", department=department, article=found,
                           body=safe_html(found.body_html))

