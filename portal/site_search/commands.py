"""`flask search …`: reindex, sync (the outbox worker), evaluate, seed-synonyms."""

import signal

import click
from elasticsearch import ApiError, TransportError
from flask import current_app
from flask.cli import with_appcontext

from portal.extensions import search_client
from portal.site_search import index as search_index
from portal.site_search.admin import lexicon as lexicon_store
from portal.site_search.admin import synonyms as synonym_store
from portal.workflow import publish_due
from search import evaluation
from search.datasets import shared_matter_records
from search.indexes import KINDS
from search.lexicon import official_vocabulary


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
@click.argument("file", type=click.Path(exists=True), required=False)
@click.option("--source", type=click.Choice(["auto", "db", "files"]), default="auto", show_default=True,
              help="事项来源：数据库中已发布的事项，或 ../shared/data 的文件（auto：数据库为空时用文件）")
@click.option("--split", type=click.Choice(["all", "tuning", "heldout"]), default="all", show_default=True,
              help="只报告这一部分查询（按查询文本的哈希固定划分；heldout 从不用于调优）")
@click.option("--per-query", is_flag=True, help="逐条列出每个查询的得分")
@click.option("--unjudged", "unjudged_file", type=click.Path(dir_okay=False, writable=True),
              help="把两个系统返回而未评判的（查询, 事项）对打乱后写入此文件，供盲评")
@click.option("--min-ndcg", type=float, default=0.0, help="门户 nDCG@10 低于此值时以状态 1 退出")
@with_appcontext
def evaluate_command(file, source, split, per_query, unjudged_file, min_ndcg):
    """Graded nDCG@10, MRR, P@3 and zero rate per category, ours beside the plain baseline built in
    the same run, with bootstrap intervals. FILE: a citizen-set folder (default: the one in
    search/data/eval/citizen-dev) or a query<TAB>name|name list such as dev-queries.tsv."""
    items = evaluation.read_queries(file or evaluation.DEFAULT_SET)
    label, records = _evaluation_records(source)
    make_params = evaluation.default_params(synonyms=synonym_store.synonym_table_or_seed(),
                                            lexicon=lexicon_store.lexicon_table_or_seed())
    click.echo(f"{len(items)} 个查询，{len(records)} 个事项（来自{label}）")
    results = evaluation.compare(search_client.indexing_es, search_client.index_prefix, records, items, make_params)
    lines, ours, _ = evaluation.report_lines(results, split)
    for line in lines:
        click.echo(line)
    if per_query:
        for mine, theirs in zip(results["portal"], results["baseline"], strict=True):
            if split in ("all", mine.split):
                shown = "   –" if mine.ndcg is None else f"{mine.ndcg:5.2f} {theirs.ndcg:5.2f}"
                click.echo(f"  {shown}  {mine.split:8} {mine.category:12} {mine.query}")
    if unjudged_file:
        pairs = evaluation.unjudged_pairs(results)
        with open(unjudged_file, "w", encoding="utf-8") as out:
            out.write("query\tname\tgrade\n")
            out.writelines(f"{query}\t{title}\t\n" for query, title in pairs)
        click.echo(f"未评判的（查询, 事项）对 {len(pairs)} 个已写入 {unjudged_file}")
    if ours.ndcg < min_ndcg:
        raise SystemExit(1)


@search_cli.command("seed-synonyms")
@with_appcontext
def seed_synonyms_command():
    """Load the synonym table from search/data/synonyms.tsv and the short names in ../shared/data."""
    added = synonym_store.seed(current_app.config["SHARED_DATA_DIR"])
    click.echo(f"新增同义词组 {added} 个。")


@search_cli.command("seed-lexicon")
@click.option("--no-hotline", is_flag=True, help="不从 12345 来信中挖掘俗称")
@with_appcontext
def seed_lexicon_command(no_hotline):
    """Load the colloquial lexicon: search/data/lexicon.tsv (curated), the short names of
    ../shared/data (alias) and terms mined from the hotline questions (hotline)."""
    data_dir = current_app.config["SHARED_DATA_DIR"]
    vocabulary = None
    if not no_hotline:
        _, records = _evaluation_records("auto")
        vocabulary = official_vocabulary(records)
    added = lexicon_store.seed(data_dir, with_hotline=not no_hotline, official_vocabulary=vocabulary)
    summary = "，".join(f"{source} {count} 条" for source, count in sorted(added.items())) or "无"
    click.echo(f"新增俗称词条：{summary}。")
