"""Precision and recall of the masking (portal/knowledge/masking.py) per kind of personal data,
against hand-labelled sentences (tests/knowledge/data/masking_labels.jsonl, rules beside it).

A labelled entity counts as found when a finding of the same kind overlaps it; a finding counts as
right when it overlaps a labelled entity of its kind. Every occurrence of an entity's text in its
sentence is one entity.
"""

import json
from dataclasses import dataclass, field
from pathlib import Path

from portal.knowledge.masking import KINDS, find_personal_data

LABELS = Path(__file__).resolve().parents[2] / "tests" / "knowledge" / "data" / "masking_labels.jsonl"


@dataclass
class Score:
    true_positives: int = 0  # findings that overlap a labelled entity of their kind
    false_positives: int = 0
    found: int = 0  # labelled entities overlapped by a finding of their kind
    missed: int = 0
    misses: list = field(default_factory=list)
    wrong: list = field(default_factory=list)

    @property
    def labelled(self):
        return self.found + self.missed

    @property
    def precision(self):
        total = self.true_positives + self.false_positives
        return self.true_positives / total if total else None

    @property
    def recall(self):
        return self.found / self.labelled if self.labelled else None


def load_labels(path=LABELS):
    return [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]


def _spans(text, entity):
    spans, start = [], text.find(entity)
    while start >= 0:
        spans.append((start, start + len(entity)))
        start = text.find(entity, start + 1)
    return spans


def _overlaps(a, b):
    return a[0] < b[1] and b[0] < a[1]


def evaluate(rows, sources=None):
    """{kind: Score} over the labelled `rows`; `sources` = "data" (hotline sentences), "constructed"
    (made-up sentences for kinds the data lacks) or None for both."""
    scores = {kind: Score() for kind in KINDS}
    for row in rows:
        constructed = row["source"] == "constructed"
        if (sources == "data" and constructed) or (sources == "constructed" and not constructed):
            continue
        text = row["text"]
        gold = [(entity["kind"], span) for entity in row["entities"] for span in _spans(text, entity["text"])]
        findings = find_personal_data(text)
        for kind, span in gold:
            if any(f.kind == kind and _overlaps(span, (f.start, f.end)) for f in findings):
                scores[kind].found += 1
            else:
                scores[kind].missed += 1
                scores[kind].misses.append((row["source"], text[span[0]:span[1]]))
        for finding in findings:
            if any(kind == finding.kind and _overlaps(span, (finding.start, finding.end)) for kind, span in gold):
                scores[finding.kind].true_positives += 1
            else:
                scores[finding.kind].false_positives += 1
                scores[finding.kind].wrong.append((row["source"], text[finding.start:finding.end]))
    return scores


def report_lines(scores):
    def share(value):
        return "—" if value is None else f"{value:.3f}"

    yield f"{'kind':<8} {'labelled':>8} {'found':>6} {'recall':>7} {'findings':>8} {'precision':>9}"
    for kind, score in scores.items():
        findings = score.true_positives + score.false_positives
        yield (f"{kind:<8} {score.labelled:>8} {score.found:>6} {share(score.recall):>7} {findings:>8} "
               f"{share(score.precision):>9}")
