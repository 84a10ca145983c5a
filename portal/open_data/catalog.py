"""The DCAT catalogue (JSON-LD) of every dataset and distribution, the Atom view of the change
feed, and the row counts the pages show (kept by the app until the content generation moves or the
dataset's fingerprint changes, so a count is taken once per change rather than on every page view)."""

from datetime import datetime
from xml.etree import ElementTree

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import select

from portal import content_generation
from portal.beijing_time import utc_text
from portal.extensions import db
from portal.models import Answer, Matter
from portal.open_data import changes, datasets
from portal.open_data.downloads import FORMATS

DCAT_CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "void": "http://rdfs.org/ns/void#",
}
FREQUENCIES = {
    "continuous": "http://purl.org/cld/freq/continuous",
    "monthly": "http://purl.org/cld/freq/monthly",
    "weekly": "http://purl.org/cld/freq/weekly",
}


def row_count(dataset):
    """The dataset's rows, counted again after a content change, or when its fingerprint moved
    without one; a dataset of no content (the search statistics, from the query log) only when its
    fingerprint moved, so a publish does not send the count through a year of searches again."""
    return content_generation.kept(("open_data.row_count", dataset.name), dataset.count,
                                   version=dataset.fingerprint(), lasting=not dataset.content)


def _text(value):
    return {"@value": str(value), "@language": "zh-CN"}


def _datetime(value):
    return None if value is None else {"@value": utc_text(value),
                                       "@type": "xsd:dateTime"}


def dataset_description(dataset):
    page = url_for("open_data.dataset", name=dataset.name, _external=True)
    described = {
        "@id": page,
        "@type": "dcat:Dataset",
        "dct:identifier": dataset.name,
        "dct:title": _text(dataset.title),
        "dct:description": _text(dataset.description),
        "dcat:keyword": [str(word) for word in dataset.keywords],
        "dct:license": {"@id": datasets.LICENCE_URL},
        "dct:rights": {"@id": url_for("open_data.licence", _external=True)},
        "dct:publisher": {"@id": url_for("open_data.index", _external=True) + "#publisher"},
        "dct:accrualPeriodicity": {"@id": FREQUENCIES[dataset.frequency]},
        "dcat:landingPage": {"@id": page},
        "void:entities": row_count(dataset),
        "dcat:distribution": [{
            "@id": url_for("open_data.download", name=dataset.name, fmt=fmt, _external=True) + "#distribution",
            "@type": "dcat:Distribution",
            "dct:title": _text(f"{dataset.title}（{label}）"),
            "dcat:downloadURL": {"@id": url_for("open_data.download", name=dataset.name, fmt=fmt, _external=True)},
            "dcat:accessURL": {"@id": page},
            "dcat:mediaType": mimetype.split(";")[0],
            "dct:format": label,
            "dct:license": {"@id": datasets.LICENCE_URL},
        } for fmt, (mimetype, label) in FORMATS.items()],
    }
    modified = _datetime(dataset.modified())
    if modified:
        described["dct:modified"] = modified
    if dataset.parent:
        described["dct:isPartOf"] = {"@id": url_for("open_data.dataset", name=dataset.parent, _external=True)}
    return described


def dcat_catalog():
    home = url_for("open_data.index", _external=True)
    described = [dataset_description(dataset) for dataset in datasets.registry().values()]
    return {
        "@context": DCAT_CONTEXT,
        "@id": url_for("open_data.catalog", _external=True),
        "@type": "dcat:Catalog",
        "dct:title": _text(_("一网通办政务服务门户开放数据")),
        "dct:description": _text(_("政务服务事项目录、部门、部门业务系统、12345 热线问答、好差评和搜索统计，"
                                   "以 CSV、JSON 和 JSON Lines 开放，另有变更流。")),
        "dct:language": {"@id": "http://id.loc.gov/vocabulary/iso639-1/zh"},
        "dct:license": {"@id": datasets.LICENCE_URL},
        "dct:publisher": {"@id": home + "#publisher", "@type": "foaf:Organization",
                          "foaf:name": _text(_("市政务服务数据管理局"))},
        "foaf:homepage": {"@id": home},
        "dcat:dataset": described,
        "dcat:service": [{
            "@id": url_for("open_data.change_feed", _external=True),
            "@type": "dcat:DataService",
            "dct:title": _text(_("开放数据变更流")),
            "dct:description": _text(_("按提交顺序列出已发布内容的每次变更（更新或删除），可从任一游标继续读取。")),
            "dcat:endpointURL": {"@id": url_for("open_data.change_feed", _external=True)},
            "dcat:endpointDescription": {"@id": url_for("api.openapi_json", _external=True)},
            "dcat:servesDataset": [{"@id": url_for("open_data.dataset", name=dataset.name, _external=True)}
                                   for dataset in datasets.registry().values() if dataset.feed_entity],
        }],
    }


def change_href(change):
    """Where the current published state of a changed record can be fetched (None for deletions)."""
    if change.action != changes.UPSERT:
        return None
    return url_for("open_data.record", entity=change.entity, public_id=change.public_id, _external=True)


def change_json(change):
    return {
        "cursor": change.cursor, "entity": change.entity, "id": change.public_id, "action": change.action,
        "version": change.version, "time": utc_text(change.at),
        "href": change_href(change),
    }


ATOM = "http://www.w3.org/2005/Atom"


def _titles(rows):
    """Names of the records the changes are about, for readable entry titles."""
    codes = [row.public_id for row in rows if row.entity == "matter"]
    ids = [int(row.public_id) for row in rows if row.entity == "answer" and row.public_id.isdecimal()]
    titles = {}
    if codes:
        titles.update({("matter", code): name for code, name in db.session.execute(
            select(Matter.code, Matter.name).where(Matter.code.in_(codes)))})
    if ids:
        titles.update({("answer", str(answer_id)): question for answer_id, question in db.session.execute(
            select(Answer.id, Answer.question).where(Answer.id.in_(ids)))})
    return titles


def _public_page(change):
    if change.action != changes.UPSERT:
        return None
    if change.entity == "matter":
        return url_for("catalogue.guide", code=change.public_id, _external=True)
    if change.entity == "answer":
        return url_for("knowledge.faq_answer", answer_id=int(change.public_id), _external=True)
    if change.entity == "message":
        return url_for("interaction.message", message_id=int(change.public_id), _external=True)
    return change_href(change)


def atom_feed(rows, host):
    entity_names = {"matter": _("事项"), "answer": _("问答"), "message": _("留言"), "resource": _("信息资源")}
    action_names = {changes.UPSERT: _("发布或更新"), changes.DELETE: _("撤回")}
    titles = _titles(rows)
    ElementTree.register_namespace("", ATOM)
    feed = ElementTree.Element(f"{{{ATOM}}}feed")

    def sub(parent, tag, text=None, **attributes):
        element = ElementTree.SubElement(parent, f"{{{ATOM}}}{tag}", attributes)
        if text is not None:
            element.text = str(text)
        return element

    sub(feed, "id", f"tag:{host},2026:open-data-changes")
    sub(feed, "title", _("一网通办开放数据变更"))
    sub(feed, "updated", utc_text(rows[0].at if rows else _epoch()))
    sub(feed, "link", rel="self", href=url_for("open_data.change_feed_atom", _external=True))
    sub(feed, "link", rel="alternate", type="application/json", href=url_for("open_data.change_feed", _external=True))
    author = sub(feed, "author")
    sub(author, "name", _("市政务服务数据管理局"))
    for row in rows:
        entry = sub(feed, "entry")
        sub(entry, "id", f"tag:{host},2026:open-change:{row.cursor}")
        name = titles.get((row.entity, row.public_id), row.public_id)
        sub(entry, "title", _("%(entity)s%(action)s：%(name)s", entity=entity_names.get(row.entity, row.entity),
                              action=action_names[row.action], name=name))
        sub(entry, "updated", utc_text(row.at))
        page = _public_page(row)
        if page:
            sub(entry, "link", rel="alternate", type="text/html", href=page)
        href = change_href(row)
        if href:
            sub(entry, "link", rel="related", type="application/json", href=href)
        sub(entry, "summary", _("%(entity)s %(id)s（第 %(version)s 版）：%(action)s；游标 %(cursor)s",
                                entity=entity_names.get(row.entity, row.entity), id=row.public_id,
                                version=row.version, action=action_names[row.action], cursor=row.cursor))
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ElementTree.tostring(feed, encoding="unicode").encode()


def _epoch():
    return datetime(2026, 1, 1)
