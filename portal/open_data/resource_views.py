"""The information resource catalogue: public list and pages under /open/resources, department
editors' pages under /open/manage/ (through the editorial workflow), administrators' coverage."""

from flask import abort, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from portal import workflow
from portal.editor.forms import TransitionForm
from portal.editor.service import choose_department_page, managed_department, store_and_flash
from portal.extensions import db
from portal.models import Department, InformationResource
from portal.open_data import datasets, resources
from portal.open_data import open_data as blueprint
from portal.permissions import public, require_department, roles_required

EDITORS = ("editor", "reviewer")
PAGE_SIZE = 50


@blueprint.route("/resources")
@public
def resource_list():
    department_id = request.args.get("department", type=int)
    statement = select(InformationResource).where(resources.published())
    if department_id:
        statement = statement.where(InformationResource.department_id == department_id)
    page = db.paginate(statement.order_by(InformationResource.department_id, InformationResource.code),
                       page=max(request.args.get("page", 1, type=int), 1), per_page=PAGE_SIZE, error_out=False)
    departments = db.session.scalars(select(Department).where(Department.id.in_(
        select(InformationResource.department_id).where(resources.published()))).order_by(Department.name)).all()
    return render_template("open_data/resources.html", page=page, departments=departments,
                           department_id=department_id)


@blueprint.route("/resources/<code>")
@public
def resource_page(code):
    resource = db.session.scalar(select(InformationResource).where(
        InformationResource.code == code, resources.published())) or abort(404)
    dataset = datasets.get(resource.dataset) if resource.dataset and resource.opening_type == "无条件开放" else None
    return render_template("open_data/resource.html", resource=resource, dataset=dataset,
                           updated=resources.last_updated(resource))


@blueprint.route("/manage/")
@roles_required(*EDITORS)
def manage_resources():
    department = managed_department()
    if department is None:
        return choose_department_page()
    listed = db.session.scalars(select(InformationResource).where(InformationResource.department_id == department.id)
                                .order_by(InformationResource.updated_at.desc())).all()
    return render_template("open_data/manage.html", department=department, listed=listed)


@blueprint.route("/manage/new", methods=["GET", "POST"])
@roles_required(*EDITORS)
def new_resource():
    department = managed_department() or abort(404)
    return _edit_page(None, department)


@blueprint.route("/manage/<int:resource_id>", methods=["GET", "POST"])
@roles_required(*EDITORS)
def edit_resource(resource_id):
    resource = db.session.get(InformationResource, resource_id) or abort(404)
    require_department(resource.department_id)
    return _edit_page(resource, resource.department)


def _edit_page(resource, department):
    if request.method == "GET":
        data = resources.form_data(workflow.working_snapshot(resource)) if resource is not None else {}
        data["lock_version"] = getattr(resource, "lock_version", None)
        form = resources.ResourceForm(formdata=None, data=data)
        return _render(resource, form, department)
    form = resources.ResourceForm()
    if not form.validate():
        return _render(resource, form, department), 400
    if resources.code_taken(form.code.data, getattr(resource, "id", None)):
        form.code.errors.append(resources.CODE_TAKEN)
        return _render(resource, form, department), 400
    resource, refusal = store_and_flash(
        resource, resources.form_payload(form), form.lock_version.data,
        lambda payload: workflow.create(InformationResource, payload, current_user, department.id))
    if refusal:
        return _render(resource, form, department, refusal=refusal[0]), refusal[1]
    return redirect(url_for("open_data.edit_resource", resource_id=resource.id))


def _render(resource, form, department, refusal=None):
    return render_template(
        "open_data/resource_form.html", entity=resource, form=form, department=department, refusal=refusal,
        kind=workflow.KINDS["resource"] if resource is not None else None,
        can_save=resource is None or workflow.can_save(resource, current_user),
        actions=workflow.allowed_actions(resource, current_user) if resource is not None else [],
        transition_form=TransitionForm(formdata=None),
    )


@blueprint.route("/coverage")
@roles_required("admin")
def coverage():
    return render_template("open_data/coverage.html", coverage=resources.coverage())
