"""`flask open-data …`: seed the information resource catalogue with the portal's own datasets."""

import click

from portal.open_data import open_data
from portal.open_data.resources import seed_resources


@open_data.cli.command("seed-resources")
def seed_resources_command():
    """Describe each of the portal's open datasets in the resource catalogue (idempotent)."""
    added = seed_resources()
    click.echo(f"信息资源目录：新增 {added} 条（门户自有数据集）")
