"""`flask search …`: reindex, sync (the outbox worker), evaluate, seed-synonyms."""

import signal

import click
from elasticsearch import ApiError, TransportError
from flask import current_app
from flask.cli import with_appcontext

from portal import search_index
from portal.extensions import search_client
from portal.search_admin import synonyms as synonym_store
from portal.workflow import publish_due
from search import evaluation
from search.datasets import shared_matter_records
from search.indexes import KINDS


@click.group("search", help="搜索索引：重建、同步、评估。")
def search_cli():
    pass


@search_cli.command("reindex")
@click.option("--kind", "kinds", multiple=True, type=click.Choice(KINDS), help="只重建这些类型（默认全部）")
@with_appcontext
def reindex_command(kinds):
    """Build new indexes from the database and swap the aliases to them (no downtime)."""
    for kind in kinds or KINDS:
        total = search_index.published_count(kind)
        with click.progressbar(length=total, label=f"重建 {kind} 索引", show_pos=True) as bar:
            try:
                result = search_index.reindex_kind(kind, progress=bar.update)
            except (TransportError, ApiError) as error:
                raise click.ClickException(f"搜索服务不可用，索引未改动（{type(error).__name__}）。") from error
        removed = "，".join(result.removed) or "无"
        click.echo(f"{kind}: 已索引 {result.indexed} 条，失败 {len(result.failed)} 条；"
                   f"别名已切换到 {result.index}，已删除旧索引：{removed}")
        for failure in result.failed[:10]:
            click.echo(f"  失败：{failure}", err=True)


@search_cli.command("sync")
@click.option("--follow", is_flag=True, help="持续运行，不断处理新的变更")
@click.option("--batch", "batch_size", default=search_index.SYNC_BATCH, show_default=True)
@with_appcontext
def sync_command(follow, batch_size):
    """Drain the search outbox into Elasticsearch (retries with backoff); with --follow, also
    publish scheduled content when it is due."""
    stopping = []
    if follow:
        signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))

    def report(batch):
        note = f"，错误：{batch.error}" if batch.error else ""
        click.echo(f"已同步 {batch.indexed} 条，待重试 {batch.failed} 条{note}")

    try:
        total = search_index.sync(follow=follow, batch_size=batch_size, on_batch=report,
                                  should_stop=lambda: bool(stopping), each_round=publish_due if follow else None)
    except KeyboardInterrupt:
        return
    click.echo(f"完成：已同步 {total.indexed} 条，待重试 {total.failed} 条，"
               f"队列中还有 {search_index.pending_outbox_count()} 条。")


def _evaluation_records(source):
    if source == "db" or (source == "auto" and search_index.published_count("matter")):
        return "数据库", list(search_index.published_records("matter"))
    return "共享数据文件", shared_matter_records(current_app.config["SHARED_DATA_DIR"])


@search_cli.command("evaluate")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--source", type=click.Choice(["auto", "db", "files"]), default="auto", show_default=True,
              help="事项来源：数据库中已发布的事项，或 ../shared/data 的文件（auto：数据库为空时用文件）")
@click.option("--per-query", is_flag=True, help="逐条列出每个查询的得分")
@with_appcontext
def evaluate_command(file, source, per_query):
    """nDCG@10, MRR, recall@10 and zero-result rate, ours beside the baseline."""
    judgements = evaluation.read_judgements(file)
    label, records = _evaluation_records(source)
    synonyms = synonym_store.synonym_table_or_seed()
    click.echo(f"{len(judgements)} 个查询，{len(records)} 个事项（来自{label}），{len(synonyms)} 个同义词条")
    results = evaluation.compare(search_client.indexing_es, search_client.index_prefix, records, judgements, synonyms)
    portal_metrics, baseline_metrics = results["portal"][0], results["baseline"][0]
    click.echo(f"{'':10}{'nDCG@10':>9}{'MRR':>8}{'recall@10':>11}{'零结果率':>8}")
    for name, metrics in (("baseline", baseline_metrics), ("portal", portal_metrics)):
        click.echo(f"{name:10}{metrics.ndcg:9.3f}{metrics.mrr:8.3f}{metrics.recall:11.3f}{metrics.zero_rate:10.3f}")
    ratio = portal_metrics.ndcg / baseline_metrics.ndcg if baseline_metrics.ndcg else float("inf")
    click.echo(f"nDCG@10 portal/baseline = {ratio:.2f}×")
    if per_query:
        for (query, ndcg, *_), (_, baseline_ndcg, *_) in zip(results["portal"][1], results["baseline"][1], strict=True):
            click.echo(f"  {ndcg:5.2f} {baseline_ndcg:5.2f}  {query}")


@search_cli.command("seed-synonyms")
@with_appcontext
def seed_synonyms_command():
    """Load the synonym table from search/data/synonyms.tsv and the short names in ../shared/data."""
    added = synonym_store.seed(current_app.config["SHARED_DATA_DIR"])
    click.echo(f"新增同义词组 {added} 个。")
