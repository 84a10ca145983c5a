"""`flask platforms check` and `flask platforms report`."""

import time
from collections import Counter

import click
from flask.cli import AppGroup

platforms_cli = AppGroup("platforms", help="The registry of department platforms: health checks and the report.")


def _check_once(codes, concurrency, timeout):
    from portal.oversight import health

    started = time.monotonic()
    targets = health.platforms_to_check(codes)
    skipped = len(health.platforms_to_check(codes, loopback_only=False)) - len(targets)
    if skipped:
        click.echo(f"只检测本机地址的平台，跳过 {skipped} 个（PLATFORM_CHECK_LOOPBACK_ONLY=0 检测全部）", err=True)
    with click.progressbar(length=len(targets), label="检测平台") as bar:
        results = health.check_all(codes, concurrency=concurrency, connect_timeout=timeout,
                                   read_timeout=timeout, progress=bar.update)
    reasons = Counter(result.error for _, result in results if not result.ok)
    reachable = sum(result.ok for _, result in results)
    detail = "，".join(f"{reason} {count}" for reason, count in reasons.most_common())
    click.echo(f"检测 {len(results)} 个平台：可访问 {reachable}，无法访问 {len(results) - reachable}"
               + (f"（{detail}）" if detail else "") + f"；用时 {time.monotonic() - started:.1f} 秒")


@platforms_cli.command("check")
@click.option("--code", "codes", multiple=True, help="Only this platform (repeatable).")
@click.option("--concurrency", type=click.IntRange(1, 64), default=None, help="Probes at once (default 8).")
@click.option("--timeout", type=click.FloatRange(0.1, 60), default=None,
              help="Seconds to connect and to wait for an answer (default 3 and 5).")
@click.option("--every", type=click.IntRange(0), default=0, metavar="SECONDS",
              help="Keep checking, once every SECONDS (what `make run` does); 0 checks once.")
def check_command(codes, concurrency, timeout, every):
    """Probe each registered platform's base URL (HEAD, then GET) and keep the result."""
    while True:
        try:
            _check_once(list(codes) or None, concurrency, timeout)
        except Exception as error:  # a failed round must not end the loop beside `make run`
            if not every:
                raise
            from portal.extensions import db

            db.session.rollback()
            click.echo(f"本轮检测失败：{type(error).__name__}", err=True)
        if not every:
            return
        time.sleep(every)


@platforms_cli.command("report")
@click.option("--format", "output_format", type=click.Choice(["csv", "json"]), default="json", show_default=True)
@click.option("--output", type=click.File("w", encoding="utf-8"), default="-", help="File to write (default stdout).")
@click.option("--idle-days", type=click.IntRange(1), default=90, show_default=True,
              help="No link-through in this many days is zombie evidence.")
@click.option("--unreachable-days", type=click.IntRange(1), default=7, show_default=True,
              help="Unreachable for this many days is zombie evidence.")
def report_command(output_format, output, idle_days, unreachable_days):
    """The 僵尸/影子 report: candidates with evidence, recommended action and decision."""
    import json

    from portal import csv_output
    from portal.beijing_time import beijing_today
    from portal.oversight import report

    built = report.build(report.Rules(idle_days=idle_days, unreachable_days=unreachable_days))
    today = beijing_today()
    if output_format == "json":
        json.dump(report.as_json(built, today), output, ensure_ascii=False, indent=2)
        output.write("\n")
    else:
        csv_output.write(output, report.combined_csv_rows(built, today))
    summary = built.summary
    click.echo(f"平台 {summary['platforms']}：僵尸候选 {summary['zombies']}，影子候选 {summary['shadows']}"
               f"（{summary['shadow_groups']} 组），已有决定 {summary['decided']}", err=True)
