"""`flask knowledge …`: import of the 12345 hotline data."""

from pathlib import Path

import click
from flask.cli import AppGroup

from portal.hotline_import import data_dir_option, default_data_dir, run_import_command
from portal.knowledge.importer import import_hotline

knowledge_cli = AppGroup("knowledge", help="12345 hotline knowledge base.")


@knowledge_cli.command("import")
@data_dir_option("Folder with hotline_qa.jsonl and category_taxonomy.jsonl (default: ../shared/data/hotline).",
                 exists=True)
def import_command(data_dir):
    """Import the hotline Q&A with personal data masked; prints the report of rejected rows."""
    run_import_command(data_dir, import_hotline, "导入热线问答")


@knowledge_cli.command("remask")
@data_dir_option("Folder with hotline_qa.jsonl to rebuild unedited imported answers from "
                 "(default: ../shared/data/hotline; without it stored texts are masked again).")
def remask_command(data_dir):
    """Apply the current masking to every stored answer, its versions and its audit rows."""
    from portal.knowledge.remask import remask

    report = remask(default_data_dir(data_dir))
    click.echo(f"答复 {report.answers} 条，重新脱敏 {report.changed} 条；版本 {report.versions} 个，审计记录 "
               f"{report.audit_rows} 条。请运行 flask search sync 更新索引。")


@knowledge_cli.command("masking-eval")
@click.option("--labels", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Labelled sentences (default: tests/knowledge/data/masking_labels.jsonl).")
@click.option("--show-errors", is_flag=True, help="List the missed entities and the wrong findings.")
def masking_eval_command(labels, show_errors):
    """Precision and recall of the masking per kind, on the hand-labelled hotline sentences and,
    separately, on the constructed sentences for kinds the data lacks."""
    from portal.knowledge.masking_eval import LABELS, evaluate, load_labels, report_lines

    rows = load_labels(labels or LABELS)
    for sources, title in (("data", "热线数据句子（人工标注）"), ("constructed", "构造句子（数据中没有的类别）")):
        count = sum(1 for row in rows if (row["source"] == "constructed") == (sources == "constructed"))
        click.echo(f"{title}：{count} 句")
        scores = evaluate(rows, sources)
        for line in report_lines(scores):
            click.echo("  " + line)
        if show_errors:
            for kind, score in scores.items():
                for source, text in score.misses:
                    click.echo(f"  漏 {kind} {source} {text}")
                for source, text in score.wrong:
                    click.echo(f"  误 {kind} {source} {text}")
