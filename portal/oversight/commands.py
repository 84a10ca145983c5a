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
