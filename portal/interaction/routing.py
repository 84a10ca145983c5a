"""Routing suggestions for the 12345 centre: the 一级分类 (and the most specific category the text
names) and the department of a new message, and their measurement (`flask interaction evaluate-routing`).

Both suggestions come from a small multinomial naive Bayes classifier over rjieba words, trained
on what has been routed: the category from messages whose category the board or the centre set
(`../shared/data/messages-labelled/`, then every message the centre routes here), the department
from the real replies' answering units (labelled by the rules in `data/department_rules.tsv`)
and the messages the centre routed to a department here. The evaluation compares it with the
taxonomy keyword match the knowledge import uses and with the most frequent class, on held-out folds.
"""

import json
import math
import random
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import rjieba
from flask import current_app

from portal import content_generation
from portal.extensions import db
from portal.hotline_import import categorise, load_taxonomy
from portal.models import Department, Message

RULES_PATH = Path(__file__).parent / "data" / "department_rules.tsv"
_UNIT = re.compile(r"[\u4e00-\u9fff]{1,12}?(?:局|委员会|委|大队|支队|中心|所|办事处|办|政府)")
_NOT_A_WORD = re.compile(r"[\dA-Za-z.%％]+")
FOLDS = 5
MIN_ROUTED = 20  # routed messages needed before the department classifier of this portal's own routing counts
SEED = 15


def words(text):
    """The words a classifier sees: rjieba's, without single characters and bare numbers or letters
    (the anonymised place names A市, A2区 and ids)."""
    return [word for word in rjieba.cut(text or "") if len(word) > 1 and not _NOT_A_WORD.fullmatch(word)]


class NaiveBayes:
    """Multinomial naive Bayes over word presence, with additive smoothing."""

    def __init__(self, alpha=0.1):
        self.alpha = alpha

    total = 0

    def fit(self, documents, labels):
        self.priors, self.counts, self.total, self.vocabulary = Counter(), {}, 0, set()
        return self._add(documents, labels)

    def extended(self, documents, labels):
        """A model of this one's documents and these as well; this one is left as it is (a copy of
        its counts takes a few milliseconds where fitting them again takes ~50)."""
        model = NaiveBayes(self.alpha)
        model.priors, model.total, model.vocabulary = Counter(self.priors), self.total, set(self.vocabulary)
        model.counts = {label: Counter(counter) for label, counter in self.counts.items()}
        return model._add(documents, labels)

    def _add(self, documents, labels):
        labels = list(labels)
        self.priors.update(labels)
        self.total += len(labels)
        for document, label in zip(documents, labels, strict=True):
            present = set(document)
            self.counts.setdefault(label, Counter()).update(present)
            self.vocabulary |= present
        self.sums = {label: sum(counter.values()) for label, counter in self.counts.items()}
        return self

    def rank(self, document):
        """Labels, most likely first."""
        if not self.total:
            return []
        size = len(self.vocabulary)
        present = [word for word in set(document) if word in self.vocabulary]
        scores = {}
        for label, prior in self.priors.items():
            counter, denominator = self.counts[label], self.sums[label] + self.alpha * size
            scores[label] = math.log(prior / self.total) + sum(
                math.log((counter[word] + self.alpha) / denominator) for word in present)
        return sorted(scores, key=lambda label: (-scores[label], label))


def load_rules(path=RULES_PATH):
    rules = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, pattern = line.split("\t")
            rules.append((name, re.compile(pattern)))
    return rules


def department_label(reply, rules):
    """The answering unit's function as the rules read it from a reply, or None."""
    for unit in _UNIT.finditer(reply or ""):
        for name, pattern in rules:
            if pattern.search(unit.group(0)):
                return name
    return None


def read_jsonl(path):
    return [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]


def labelled_messages(shared_dir):
    """[(words, 一级分类)] of the board's own labelled messages."""
    rows = read_jsonl(Path(shared_dir) / "messages-labelled" / "messages_labelled.jsonl")
    return [(words(f"{row['title']} {row['text']}"), row["category_l1"]) for row in rows]


def department_labelled_messages(shared_dir, rules):
    """[(words, department function)] of the real messages whose reply names its unit."""
    rows = read_jsonl(Path(shared_dir) / "hotline" / "hotline_qa.jsonl")
    labelled = []
    for row in rows:
        label = department_label(row.get("answer"), rules)
        if label:
            labelled.append((words(f"{row['title']} {row['question']}"), label))
    return labelled


# --- measuring ---------------------------------------------------------------------------------

@dataclass
class Score:
    method: str
    top1: float
    top3: float
    n: int


@dataclass
class Evaluation:
    category: list = field(default_factory=list)
    department: list = field(default_factory=list)
    category_n: int = 0
    department_n: int = 0
    department_classes: int = 0


def _score(method, rankings, gold):
    top1 = sum(1 for ranked, label in zip(rankings, gold, strict=True) if ranked[:1] == [label])
    top3 = sum(1 for ranked, label in zip(rankings, gold, strict=True) if label in ranked[:3])
    return Score(method, top1 / len(gold), top3 / len(gold), len(gold))


def cross_validated(samples, folds=FOLDS, seed=SEED):
    """Rankings of each sample by a classifier trained on the other folds."""
    order = list(range(len(samples)))
    random.Random(seed).shuffle(order)
    rankings = [None] * len(samples)
    for fold in range(folds):
        held_out = set(order[fold::folds])
        training = [samples[index] for index in order if index not in held_out]
        model = NaiveBayes().fit([text for text, _label in training], [label for _text, label in training])
        for index in held_out:
            rankings[index] = model.rank(samples[index][0])
    return rankings


def most_frequent(samples, folds=FOLDS, seed=SEED):
    """The naive baseline: the classes by frequency in the training folds, the same for every message."""
    order = list(range(len(samples)))
    random.Random(seed).shuffle(order)
    rankings = [None] * len(samples)
    for fold in range(folds):
        held_out = set(order[fold::folds])
        counts = Counter(samples[index][1] for index in order if index not in held_out)
        ranked = [label for label, _count in counts.most_common()]
        for index in held_out:
            rankings[index] = ranked
    return rankings


def evaluate(shared_dir):
    """Top-1 and top-3 accuracy of the suggestions against the naive baseline (5 held-out folds)."""
    shared_dir = Path(shared_dir)
    taxonomy = load_taxonomy(shared_dir / "hotline" / "category_taxonomy.jsonl")
    rules = load_rules()
    result = Evaluation()

    labelled = labelled_messages(shared_dir)
    gold = [label for _text, label in labelled]
    raw = read_jsonl(shared_dir / "messages-labelled" / "messages_labelled.jsonl")
    keyword = []
    for row in raw:
        found = categorise(f"{row['title']} {row['text']}", taxonomy)
        keyword.append([found.split("/")[0]] if found else [])
    result.category_n = len(labelled)
    result.category = [
        _score("most frequent class (baseline)", most_frequent(labelled), gold),
        _score("taxonomy keyword match", keyword, gold),
        _score("naive Bayes on routed messages (portal)", cross_validated(labelled), gold),
    ]

    by_department = department_labelled_messages(shared_dir, rules)
    gold = [label for _text, label in by_department]
    result.department_n = len(by_department)
    result.department_classes = len(set(gold))
    result.department = [
        _score("most frequent department (baseline)", most_frequent(by_department), gold),
        _score("naive Bayes on routed messages (portal)", cross_validated(by_department), gold),
    ]
    return result


# --- suggesting ----------------------------------------------------------------------------------

def _trained_models():
    """The category and department classifiers, trained on the labelled files and every message
    routed here: kept by the app until the content generation moves (a message routed, a department
    renamed, an import), so what the centre routes counts from its next suggestion on."""
    return content_generation.kept("interaction.routing_models", _train)


def _train():
    shared_dir = str(current_app.config["SHARED_DATA_DIR"])
    files = _file_models(shared_dir)
    routed = db.session.execute(
        db.select(Message.title, Message.body, Message.category, Message.department_id)
        .where(Message.historical.is_(False), Message.assigned_at.is_not(None))).all()
    categories = [(words(f"{title} {body}"), category.split("/")[0]) for title, body, category, _d in routed
                  if category]
    by_id = [(words(f"{title} {body}"), department_id) for title, body, _c, department_id in routed
             if department_id]
    return {
        "taxonomy": files.taxonomy, "rules": files.rules, "function": files.function,
        "category": files.category.extended([text for text, _l in categories], [label for _t, label in categories]),
        "department": NaiveBayes().fit([text for text, _l in by_id], [label for _t, label in by_id]),
    }


@dataclass(frozen=True)
class _FileModels:
    taxonomy: list
    rules: list
    category: NaiveBayes  # the board's labelled messages only (the routed ones are added per generation)
    function: NaiveBayes


@lru_cache(maxsize=4)
def _file_models(shared_dir):
    """What the files alone teach, read, segmented (~1 s) and fitted once per process and directory:
    a pure function of files that never change while it runs, so apps reading the same directory
    share it and an app reading another has its own (the key). Nothing of an app's database is here."""
    rules = load_rules()
    try:
        categories, functions = labelled_messages(shared_dir), department_labelled_messages(shared_dir, rules)
    except OSError:
        current_app.logger.warning("routing training data not found", extra={"fields": {"dir": shared_dir}})
        categories, functions = [], []
    try:
        taxonomy = load_taxonomy(Path(shared_dir) / "hotline" / "category_taxonomy.jsonl")
    except OSError:
        taxonomy = []
    return _FileModels(
        taxonomy, rules,
        NaiveBayes().fit([text for text, _l in categories], [label for _t, label in categories]),
        NaiveBayes().fit([text for text, _l in functions], [label for _t, label in functions]),
    )


def departments_for(function, rules):
    """Departments whose name matches a department function's rule, by name."""
    pattern = dict(rules).get(function)
    if pattern is None:
        return []
    departments = db.session.scalars(db.select(Department).order_by(Department.name)).all()
    return [department for department in departments if pattern.search(department.name)]


@dataclass
class Suggestion:
    categories: list  # 一级分类, most likely first (up to 3)
    category: str | None  # the path to store: the most specific one the text names within the first choice
    departments: list  # Department rows, most likely first (up to 3)
    functions: list  # department functions, most likely first (up to 3)


def suggest(title, body):
    models = _trained_models()
    text = words(f"{title} {body}")
    categories = models["category"].rank(text)[:3]
    category = categories[0] if categories else None
    named = categorise(f"{title} {body}", models["taxonomy"]) if models["taxonomy"] else None
    if named and named.split("/")[0] == category:
        category = named
    departments = []
    if models["department"].total >= MIN_ROUTED:
        ranked = [db.session.get(Department, department_id) for department_id in models["department"].rank(text)[:3]]
        departments = [department for department in ranked if department is not None]
    functions = models["function"].rank(text)[:3]
    for function in functions:
        for department in departments_for(function, models["rules"]):
            if department not in departments:
                departments.append(department)
                break
    return Suggestion(categories, category, departments[:3], functions)
