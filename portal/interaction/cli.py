"""`flask interaction …`: import of the real messages, and the routing evaluation."""

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from portal.hotline_import import data_dir_option, default_data_dir, run_import_command
from portal.interaction.importer import import_messages

interaction_cli = AppGroup("interaction", help="政民互动: citizens' messages.")


@interaction_cli.command("import")
@data_dir_option("Folder with hotline_qa.jsonl and category_taxonomy.jsonl (default: ../shared/data/hotline).",
                 exists=True)
def import_command(data_dir):
    """Import the real messages with their replies (masked, idempotent); prints the report."""
    run_import_command(data_dir, import_messages, "导入政民互动留言")


@interaction_cli.command("evaluate-routing")
@click.option("--shared-dir", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="The shared data folder (default: SHARED_DATA_DIR).")
def evaluate_routing_command(shared_dir):
    """Top-1/top-3 accuracy of the routing suggestions (一级分类, department) against the most frequent class."""
    from portal.interaction.routing import evaluate

    result = evaluate(shared_dir or current_app.config["SHARED_DATA_DIR"])
    click.echo(f"一级分类: {result.category_n} messages labelled by the board (messages-labelled), 7 classes, "
               "5 held-out folds")
    _table(result.category)
    click.echo(f"\n部门: {result.department_n} real messages whose reply names its unit "
               f"(department_rules.tsv), {result.department_classes} classes, 5 held-out folds")
    _table(result.department)


def _table(scores):
    click.echo(f"{'method':<44} {'top-1':>7} {'top-3':>7}")
    for score in scores:
        click.echo(f"{score.method:<44} {score.top1:>7.3f} {score.top3:>7.3f}")


@interaction_cli.command("remask")
@data_dir_option("Folder with hotline_qa.jsonl to rebuild imported messages from (default: ../shared/data/hotline).")
def remask_command(data_dir):
    """Apply the current masking to every stored message (run after the masking improves)."""
    from portal.interaction.importer import remask

    total, changed = remask(default_data_dir(data_dir))
    click.echo(f"留言 {total} 条，重新脱敏 {changed} 条。请运行 flask search sync 更新索引。")
