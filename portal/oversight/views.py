"""Thin views of the oversight area (/admin/)."""

from datetime import timedelta

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from portal import csv_output
from portal.beijing_time import beijing_today, parse_day
from portal.extensions import db
from portal.models import Department, Platform
from portal.models.oversight import PLATFORM_KINDS, PLATFORM_STATUSES
from portal.oversight import audit_log, charts, dashboard, oversight, registry
from portal.oversight import report as platform_report
from portal.oversight.exports import xlsx_response
from portal.oversight.forms import DecisionForm, MergeForm, PlatformForm
from portal.permissions import roles_required

STAFF = ("editor", "reviewer")  # admins always may; department staff see their own department


def _platform_or_404(code):
    platform = db.session.scalar(select(Platform).where(Platform.code == code)) or abort(404)
    if not registry.is_admin(current_user) and platform.department_id != registry.scope_department_id(current_user):
        abort(403)
    return platform


def _department_choices():
    rows = db.session.execute(select(Department.id, Department.name, Department.region_name)
                              .order_by(Department.name)).all()
    return [(0, _("（多部门共用）"))] + [(row.id, f"{row.name}（{row.region_name}）" if row.region_name else row.name)
                                    for row in rows]


def _dashboard_scope():
    first, last = dashboard.clamp(parse_day(request.args.get("from")), parse_day(request.args.get("to")))
    admin = registry.is_admin(current_user)
    return dashboard.Scope(first, last, department_id=None if admin else registry.scope_department_id(current_user),
                           admin=admin)


def _section_or_404(key, scope):
    if key not in dashboard.sections_for(scope):
        abort(404)
    return dashboard.table(key, scope)


@oversight.route("/")
@roles_required(*STAFF)
def dashboard_page():
    scope = _dashboard_scope()
    today = beijing_today()
    presets = [(weeks, (today - timedelta(days=7 * weeks - 1)).isoformat()) for weeks in (4, 8, 26, 52)]
    return render_template("oversight/dashboard.html", scope=scope, tables=dashboard.all_tables(scope),
                           range_args={"from": scope.first.isoformat(), "to": scope.last.isoformat()},
                           presets=presets, today=today.isoformat())


@oversight.route("/charts/<key>.svg")
@roles_required(*STAFF)
def chart(key):
    svg = charts.render(_section_or_404(key, _dashboard_scope()))
    # An image: no script may run, its own inline styles may apply.
    return Response(svg, mimetype="image/svg+xml", headers={
        "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'",
        "Cache-Control": "private, max-age=60"})


@oversight.route("/tables/<key>.csv")
@roles_required(*STAFF)
def table_csv(key):
    scope = _dashboard_scope()
    table = _section_or_404(key, scope)
    rows = [[str(column) for column in table.columns], *[[str(value) for value in row] for row in table.rows]]
    return csv_output.response(rows, f"{key}-{scope.first.isoformat()}-{scope.last.isoformat()}.csv")


@oversight.route("/platforms")
@roles_required(*STAFF)
def platforms():
    args = request.args
    filters = {"q": args.get("q", "").strip()[:100], "department_id": args.get("department", type=int),
               "status": args.get("status", "") if args.get("status") in PLATFORM_STATUSES else "",
               "kind": args.get("kind", "") if args.get("kind") in PLATFORM_KINDS else "",
               "sso": args.get("sso", "") if args.get("sso") in ("yes", "no") else ""}
    result = db.paginate(registry.platform_query(current_user, **filters), page=args.get("page", 1, type=int),
                         per_page=50, error_out=False)
    usage = registry.usage([platform.id for platform in result.items])
    departments = _department_choices() if registry.is_admin(current_user) else []
    return render_template("oversight/platforms.html", result=result, usage=usage, filters=filters,
                           departments=departments, kinds=PLATFORM_KINDS, statuses=PLATFORM_STATUSES)


@oversight.route("/platforms/<code>", methods=["GET", "POST"])
@roles_required(*STAFF)
def platform(code):
    platform = _platform_or_404(code)
    admin = registry.is_admin(current_user)
    form = PlatformForm(obj=platform if request.method == "GET" else None)
    if request.method == "GET":
        form.department_id.data = platform.department_id or 0
    if admin:
        form.department_id.choices = _department_choices()
    else:
        for name in set(registry.REGISTRY_FIELDS) - set(registry.DEPARTMENT_FIELDS):
            delattr(form, name)
    if form.validate_on_submit():
        values = {name: getattr(form, name).data for name in registry.REGISTRY_FIELDS if name in form}
        if "department_id" in values:
            values["department_id"] = values["department_id"] or None
        if registry.update_platform(current_user, platform, values):
            flash(_("已保存平台信息。"), "success")
        else:
            flash(_("没有修改。"), "info")
        return redirect(url_for(".platform", code=platform.code))
    from portal.oversight import health

    return render_template(
        "oversight/platform.html", platform=platform, form=form, admin=admin, merge_form=MergeForm(),
        usage=registry.usage([platform.id]).get(platform.id, (0, 0)), kinds=PLATFORM_KINDS,
        statuses=PLATFORM_STATUSES, checks=health.recent_checks(platform), merged=registry.merged_into(platform),
    )


@oversight.route("/platforms/<code>/merge", methods=["POST"])
@roles_required("admin")
def merge_platform(code):
    keep = _platform_or_404(code)
    form = MergeForm()
    if form.validate_on_submit():
        duplicate = db.session.scalar(select(Platform).where(Platform.code == form.duplicate_code.data.strip()))
        if duplicate is None:
            flash(_("没有编码为 %(code)s 的平台。", code=form.duplicate_code.data), "error")
        else:
            try:
                moved = registry.merge(current_user, keep, duplicate, form.comment.data or None)
            except registry.MergeRefused as refused:
                flash(str(refused), "error")
            else:
                flash(_("已将 %(dup)s 并入本平台，转移事项 %(n)s 项。", dup=duplicate.name, n=len(moved)), "success")
    else:
        for errors in form.errors.values():
            for error in errors:
                flash(error, "error")
    return redirect(url_for(".platform", code=keep.code))


def _report_for_user():
    built = platform_report.build()
    own = registry.scope_department_id(current_user)
    if own is not None:  # department staff: their own department's candidates
        built.zombies = [z for z in built.zombies if z.platform.department_id == own]
        built.shadows = [s for s in built.shadows if s.platform.department_id == own]
    return built


@oversight.route("/platforms/report")
@roles_required(*STAFF)
def report():
    built = _report_for_user()
    return render_template("oversight/report.html", report=built, today=beijing_today(), form=DecisionForm(),
                           progress=platform_report.decision_progress, decision_text=platform_report.decision_text,
                           admin=registry.is_admin(current_user))


@oversight.route("/platforms/report.csv")
@roles_required(*STAFF)
def report_csv():
    return csv_output.response(platform_report.combined_csv_rows(_report_for_user(), beijing_today()),
                        "platform-report.csv")


@oversight.route("/platforms/report.xlsx")
@roles_required(*STAFF)
def report_xlsx():
    built, today = _report_for_user(), beijing_today()
    return xlsx_response([("僵尸候选", list(platform_report.zombie_rows(built, today))),
                          ("影子候选", list(platform_report.shadow_rows(built, today)))], "platform-report.xlsx")


@oversight.route("/platforms/<code>/decision", methods=["POST"])
@roles_required("admin")
def decide(code):
    platform = _platform_or_404(code)
    form = DecisionForm()
    finding = request.form.get("finding")
    if finding not in ("zombie", "shadow"):
        abort(400)
    if form.validate_on_submit():
        merge_into = None
        if form.merge_into_code.data:
            merge_into = db.session.scalar(select(Platform).where(Platform.code == form.merge_into_code.data.strip()))
        try:
            registry.record_decision(current_user, platform, finding, form.decision.data, merge_into,
                                     form.retire_by.data, form.note.data or None)
        except registry.DecisionRefused as refused:
            flash(str(refused), "error")
        else:
            flash(_("已记录对 %(name)s 的决定。", name=platform.name), "success")
    else:
        for errors in form.errors.values():
            for error in errors:
                flash(error, "error")
    return redirect(url_for(".report", _anchor=f"{finding}-{platform.code}"))


def _audit_filters():
    args = request.args
    return audit_log.AuditFilters(
        who=args.get("who", "").strip()[:100], action=args.get("action", "").strip()[:50],
        entity_type=args.get("entity_type", "").strip()[:30], entity_id=args.get("entity_id", "").strip()[:64],
        first=parse_day(args.get("from")), last=parse_day(args.get("to")),
    )


@oversight.route("/audit")
@roles_required("admin")
def audit():
    filters = _audit_filters()
    actions, kinds = audit_log.choices()
    return render_template("oversight/audit.html", filters=filters, actions=actions, kinds=kinds,
                           result=audit_log.page(filters, request.args.get("page", 1, type=int)),
                           diff=audit_log.diff, csv_args={k: v for k, v in request.args.items() if k != "page"})


@oversight.route("/audit.csv")
@roles_required("admin")
def audit_csv():
    return csv_output.response(audit_log.csv_rows(_audit_filters()), "audit-log.csv")


