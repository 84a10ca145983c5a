"""Records read straight from the shared data files (../shared/data), for the evaluation and the
benchmarks when the database has not been seeded; the same shape the portal builds from its models."""

import json
from pathlib import Path

LEVELS = {"省级": "省", "市级": "市", "县级": "县", "乡级": "乡"}


def _audiences(values):
    return sorted({"自然人" if value == "自然人" else "法人" for value in values or []})


def guangdong_records(path):
    for line_number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        row = json.loads(line)
        yield {
            "kind": "matter", "entity_id": line_number, "code": row["task_code"],
            "url": f"/matters/{row['task_code']}", "title": row["name"],
            "aliases": [alias for alias in (row.get("short_name"), row.get("base_name")) if alias],
            "body": " ".join(filter(None, [row.get("conditions"), " ".join(row.get("materials") or [])])),
            "department": row.get("department"), "matter_type": row.get("type"),
            "audiences": _audiences(row.get("audience")), "themes": row.get("themes") or [],
            "level": LEVELS.get(row.get("level")), "region": row.get("area"),
            "online_depth": None, "popularity": 0,
        }


def guangan_records(path, first_id):
    for offset, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines()):
        row = json.loads(line)
        yield {
            "kind": "matter", "entity_id": first_id + offset, "code": row["item_code"],
            "url": f"/matters/{row['item_code']}", "title": row["name"], "aliases": [], "body": "",
            "department": row.get("department"), "matter_type": row.get("task_type"),
            "audiences": [], "themes": [], "level": "县", "region": row.get("area"),
            "online_depth": None, "popularity": 0,
        }


def shared_matter_records(data_dir):
    """The 3,397 real matters of both regions as index records."""
    data_dir = Path(data_dir)
    records = list(guangdong_records(data_dir / "matters-guangdong" / "gd_matters_normalized.jsonl"))
    records += guangan_records(data_dir / "matters-guangan" / "guangan_matters.jsonl", len(records) + 1)
    return records


def alias_pairs(data_dir):
    """(short name, official name) pairs people use, from the Guangdong data."""
    path = Path(data_dir) / "matters-guangdong" / "alias_pairs_short_name.tsv"
    pairs = []
    for line in path.read_text(encoding="utf-8").splitlines()[1:]:
        short, official, *_ = line.split("\t")
        if short and official and short != official:
            pairs.append((short.strip(), official.strip()))
    return pairs
