"""`flask seed`: load ../shared/data into the catalogue, with a progress bar and a validation report."""

import os
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from portal.seed.importer import DemoPlatform, seed


def _default_demo_url():
    return os.environ.get("DEPT_DEMO_URL") or f"http://127.0.0.1:{os.environ.get('DEPT_DEMO_PORT', '8001')}"


@click.command("seed")
@click.option("--data-dir", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Folder of the real data (default: SHARED_DATA_DIR, ../shared/data).")
@click.option("--demo-platform", metavar="all|CODE,…",
              help="Point these matters (or all) at the demo department platform, to try 在线办理 end to end. "
                   "The real handling URL stays in source_handling_url; a run without this option restores it.")
@click.option("--demo-department", metavar="DEPARTMENT_CODE",
              help="Only this department's matters go to the demo platform, registered as that department's own "
                   "(`make run` uses the demo staff's department).")
@click.option("--demo-url", default=_default_demo_url, show_default="http://127.0.0.1:$DEPT_DEMO_PORT (8001)",
              help="Base URL of the demo department platform.")
@click.option("--report", "report_path", type=click.Path(dir_okay=False, writable=True, path_type=Path),
              help="Also write the rejected records to this file (tab-separated: source, line, code, reason).")
@with_appcontext
def seed_command(data_dir, demo_platform, demo_department, demo_url, report_path):
    """Import departments, platforms and matters from the real data (idempotent: upsert by code)."""
    data_dir = data_dir or Path(current_app.config["SHARED_DATA_DIR"])
    demo = DemoPlatform.parse(demo_platform, demo_url, demo_department)
    report = seed(data_dir, demo=demo, progress=lambda length: click.progressbar(length=length, label="导入事项"))
    click.echo(
        f"事项 {report.matters_total}：新增 {report.matters_inserted}，更新 {report.matters_updated}，"
        f"未变 {report.matters_unchanged}，编辑已修改而保留 {report.matters_kept}；"
        f"部门 {report.departments_total}（新增 {report.departments_inserted}）；"
        f"平台 {report.platforms_total}（新增 {report.platforms_inserted}）；搜索待同步 {report.outbox_rows} 条"
    )
    if demo:
        click.echo(f"指向演示部门平台 {demo.base_url} 的事项：{report.demo_matters}")
    for warning in report.warnings:
        click.echo(f"注意：{warning}", err=True)
    click.echo(f"拒绝 {len(report.rejections)} 条记录" + ("：" if report.rejections else "。"))
    for rejection in report.rejections:
        click.echo(f"  {rejection}")
    if report_path:
        with open(report_path, "w", encoding="utf-8") as out:
            for rejection in report.rejections:
                out.write(f"{rejection.source}\t{rejection.line}\t{rejection.code or ''}\t{rejection.reason}\n")
