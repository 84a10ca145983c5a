"""An outside consumer over HTTP: downloads the catalogue, follows the change feed while editors
publish, correct and withdraw, and ends with a copy identical to the portal's published state."""

import json

import pytest
import requests

from portal import workflow
from portal.extensions import db

pytestmark = pytest.mark.integration


class Consumer:
    """What a consumer's code would do: keep a local copy per dataset, keyed by the feed's id."""

    KEYS = {"matter": ("matters", "code"), "answer": ("answers", "id")}

    def __init__(self, base):
        self.base = base
        self.http = requests.Session()
        self.copies = {}
        self.cursor = None
        self.applied = []

    def download(self):
        cursors = []
        for entity, (dataset, key) in self.KEYS.items():
            response = self.http.get(f"{self.base}/open/{dataset}.jsonl", timeout=10)
            response.raise_for_status()
            cursors.append(int(response.headers["X-Changes-Cursor"]))
            self.copies[entity] = {str(row[key]): row for row in map(json.loads, response.text.splitlines())}
        self.cursor = min(cursors)  # replaying a change already in a download is harmless

    def follow(self):
        while True:
            page = self.http.get(f"{self.base}/open/changes", params={"since": self.cursor, "limit": 2}, timeout=10)
            page.raise_for_status()
            feed = page.json()
            for change in feed["changes"]:
                self.apply(change)
            self.cursor = feed["next"]
            if not feed["changes"]:
                return

    def apply(self, change):
        copy = self.copies[change["entity"]]
        self.applied.append((change["id"], change["action"]))
        if change["action"] == "delete":
            copy.pop(change["id"], None)
            return
        current = self.http.get(change["href"], timeout=10)
        if current.status_code == 404:  # withdrawn since; its delete follows in the feed
            return
        current.raise_for_status()
        copy[change["id"]] = current.json()


def _portal_state(base):
    return Consumer(base), {
        entity: {str(row[key]): row for row in map(json.loads, requests.get(
            f"{base}/open/{dataset}.jsonl", timeout=10).text.splitlines())}
        for entity, (dataset, key) in Consumer.KEYS.items()
    }


def test_a_consumer_keeps_an_identical_copy_by_following_the_feed(live_server, sample, make_user):
    tax_editor = make_user("editor", department=sample["tax"])
    tax_reviewer = make_user("reviewer", department=sample["tax"])
    editor = make_user("editor", department=sample["social"])
    reviewer = make_user("reviewer", department=sample["social"])
    consumer = Consumer(live_server)
    consumer.download()
    assert set(consumer.copies["matter"]) == {"M-OPEN-1", "M-OPEN-2"}

    draft = sample["draft"]
    workflow.transition(draft, "submit", editor)
    consumer.follow()  # nothing public yet
    workflow.transition(draft, "approve", reviewer)  # a new matter is published
    consumer.follow()
    invoice = sample["invoice"]
    # a correction of published content: a new edition, reviewed and approved
    workflow.save(invoice, {"promised_time_limit_days": 0, "materials": [{"name": "经办人身份证"}]}, tax_editor,
                  expected_version=invoice.lock_version)
    workflow.transition(invoice, "submit", tax_editor)
    consumer.follow()  # the edition in review changes nothing public
    workflow.transition(invoice, "approve", tax_reviewer)
    workflow.save(draft, {"code": "M-OPEN-NEW"}, editor, expected_version=draft.lock_version)  # a new code
    workflow.transition(draft, "submit", editor)
    workflow.transition(draft, "approve", reviewer)
    workflow.transition(sample["pension"], "withdraw", editor)  # withdrawn between two polls
    consumer.follow()
    answer = sample["answer"]
    workflow.save(answer, {"question": "发票怎么申领？"}, tax_editor, expected_version=answer.lock_version)
    workflow.transition(answer, "submit", tax_editor)
    workflow.transition(answer, "approve", tax_reviewer)
    workflow.transition(invoice, "withdraw", tax_editor)  # corrected, then withdrawn before the next poll
    workflow.transition(invoice, "reopen", tax_editor)
    workflow.transition(invoice, "submit", tax_editor)
    workflow.transition(invoice, "approve", tax_reviewer)  # and published again
    sample["social"].name = "人力资源和社会保障局"  # an administrator renames a department
    db.session.commit()
    consumer.follow()

    _fresh, portal = _portal_state(live_server)
    assert consumer.copies == portal
    assert set(consumer.copies["matter"]) == {"M-OPEN-1", "M-OPEN-NEW"}
    assert consumer.copies["matter"]["M-OPEN-1"]["materials"][0]["name"] == "经办人身份证"
    assert consumer.copies["answer"][str(answer.id)]["question"] == "发票怎么申领？"
    assert consumer.copies["matter"]["M-OPEN-NEW"]["department"] == "人力资源和社会保障局"
    assert ("M-OPEN-2", "delete") in consumer.applied and ("M-OPEN-DRAFT", "delete") in consumer.applied
