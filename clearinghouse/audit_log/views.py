"""The audit log: /audit (filters, pages) and /audit.csv (the same filters, every page)."""

import csv
import io
from urllib.parse import urlencode

from flask import Blueprint, Response, render_template, request, url_for
from flask_login import current_user

from . import service
from .forms import AuditFilterForm

bp = Blueprint("audit", __name__)


def _filters(form: AuditFilterForm) -> service.AuditFilters:
    user = form.user.data
    return service.AuditFilters(
        action=form.action.data or "",
        user_id=int(user) if user else None,
        date_from=form.date_from.data,
        date_to=form.date_to.data,
        object_type=form.object_type.data or "",
        object_id=(form.object_id.data or "").strip(),
    )


def _form() -> tuple[AuditFilterForm, bool]:
    """Return the filter form from the address, and whether it is valid (empty is valid)."""
    form = AuditFilterForm(request.args)
    form.fill_choices(service.audit_choices(current_user))
    return form, form.validate()


def _query(exclude=("page",)) -> list[tuple[str, str]]:
    return [(k, v) for k, v in request.args.items(multi=True) if k not in exclude]


@bp.route("/audit")
def audit_page():
    """Show the audit log, newest first, filtered and a page at a time."""
    form, valid = _form()
    if not valid:
        return render_template("audit/list.html", form=form, result=None, csv_url=None), 400
    page = request.args.get("page", "1")
    result = service.audit_search(
        current_user, _filters(form), int(page) if page.isdigit() and len(page) < 7 else 1
    )
    query = _query()

    def page_url(number: int) -> str:
        return url_for(".audit_page") + "?" + urlencode([*query, ("page", str(number))])

    csv_url = url_for(".audit_csv") + ("?" + urlencode(query) if query else "")
    return render_template(
        "audit/list.html", form=form, result=result, page_url=page_url, csv_url=csv_url
    )


@bp.route("/audit.csv")
def audit_csv():
    """Download the events matching the filters as CSV (no cell can run as a formula)."""
    form, valid = _form()
    if not valid:
        return render_template("audit/list.html", form=form, result=None, csv_url=None), 400
    buffer = io.StringIO()
    csv.writer(buffer).writerows(service.audit_csv_rows(current_user, _filters(form)))
    return Response(
        buffer.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="audit-log.csv"'},
    )
