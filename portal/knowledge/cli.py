"""`flask knowledge …`: import of the 12345 hotline data."""

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from portal.knowledge.importer import import_hotline

knowledge_cli = AppGroup("knowledge", help="12345 hotline knowledge base.")


@knowledge_cli.command("import")
@click.option("--data-dir", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Folder with hotline_qa.jsonl and category_taxonomy.jsonl (default: ../shared/data/hotline).")
def import_command(data_dir):
    """Import the hotline Q&A with personal data masked; prints the report of rejected rows."""
    data_dir = data_dir or current_app.config["SHARED_DATA_DIR"] / "hotline"
    rows = sum(1 for _line in (data_dir / "hotline_qa.jsonl").open(encoding="utf-8"))
    with click.progressbar(length=rows, label="导入热线问答", show_pos=True) as bar:
        report = import_hotline(data_dir, progress=bar.update)
    for line in report.lines():
        click.echo(line)
