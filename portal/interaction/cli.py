"""`flask interaction …`: import of the real messages, and the routing evaluation."""

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from portal.interaction.importer import import_messages

interaction_cli = AppGroup("interaction", help="政民互动: citizens' messages.")


@interaction_cli.command("import")
@click.option("--data-dir", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Folder with hotline_qa.jsonl and category_taxonomy.jsonl (default: ../shared/data/hotline).")
def import_command(data_dir):
    """Import the real messages with their replies (masked, idempotent); prints the report."""
    data_dir = data_dir or current_app.config["SHARED_DATA_DIR"] / "hotline"
    rows = sum(1 for _line in (data_dir / "hotline_qa.jsonl").open(encoding="utf-8"))
    with click.progressbar(length=rows, label="导入政民互动留言", show_pos=True) as bar:
        report = import_messages(data_dir, progress=bar.update)
    for line in report.lines():
        click.echo(line)
