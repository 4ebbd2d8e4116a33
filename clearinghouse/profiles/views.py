"""Profile pages: the summary, a short page per section, solicitors one at a time, logo, history.

Each page is about the signed-in user's authority; a site admin (who has none) chooses one,
and the choice travels as ``?authority=<slug>`` on every link and form.
"""

import functools
import logging

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..errors import Conflict, InvalidInput, NotFound
from ..forms import uploaded_file
from . import service
from .fields import SECTIONS, SOLICITOR_FIELDS
from .forms import LogoForm, RemoveForm, section_form_class, solicitor_form_class
from .summary import (
    change_label,
    form_field_for,
    section_apply,
    section_values,
    solicitor_from,
    solicitor_rows,
    summary_cards,
)

log = logging.getLogger(__name__)
bp = Blueprint("profiles", __name__, url_prefix="/authority/profile")
SECTION_SLUGS = ", ".join(SECTIONS)
MAX_HISTORY = 30


def _slug() -> str | None:
    return request.args.get("authority") or None


def profile_url(endpoint: str, **values) -> str:
    """Return the URL of a profile page, keeping the authority an admin chose."""
    if _slug():
        values["authority"] = _slug()
    return url_for(endpoint, **values)


@bp.context_processor
def _helpers():
    return {"profile_url": profile_url}


def _user():
    return current_user._get_current_object()


def _needs_choice() -> bool:
    """Return whether the user must choose an authority first (an admin with none chosen)."""
    return _slug() is None and current_user.authority_id is None


def _authority_chosen(view):
    """Send an admin who has chosen no authority to the summary page, to choose one."""

    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        if _needs_choice():
            return redirect(url_for("profiles.profile"))
        return view(*args, **kwargs)

    return wrapped


def _run(form, fill, save):
    """Fill the form on GET; on a valid POST, save: a redirect, or the refusal's status."""
    if request.method == "GET":
        fill()
        return 200
    if not form.validate_on_submit():
        return 400
    return save()


def _base(form) -> int | None:
    raw = (form.base_number.data or "").strip()
    return int(raw) if raw.isdigit() else None


def _first_field(form):
    hidden = ("HiddenField", "CSRFTokenField", "SubmitField")
    return next(field for field in form if field.type not in hidden)


def _refuse(form, exc, section=None, fallback=None) -> int:
    """Put the service's refusal on the fields it names; return the HTTP status."""
    details = exc.details or [{"path": "", "message": exc.message}]
    for detail in details:
        name = form_field_for(str(detail.get("path") or ""), section)
        field = getattr(form, name) if name else (fallback or _first_field(form))
        field.errors = [*field.errors, detail.get("message") or exc.message]
    return exc.status


def _save(form, data, section=None, fallback=None, logo=service.KEEP):
    """Save the profile; return a redirect to the summary, or the status of a refusal."""
    try:
        saved, changes = service.profile_update(
            _user(), data, authority_slug=_slug(), base_number=_base(form), logo=logo
        )
    except (InvalidInput, Conflict) as exc:
        return _refuse(form, exc, section, fallback)
    if changes:
        flash(f"Profile saved as version {saved.number}.", "success")
    else:
        flash("Nothing was changed, so no new version was saved.", "success")
    return redirect(profile_url("profiles.profile"))


@bp.get("")
def profile():
    """Show the authority's profile as summary cards, each with a link to change it."""
    if _needs_choice():
        choices = service.profile_authorities(_user())
        return render_template("profiles/choose.html", choices=choices)
    shown = service.profile_show(_user(), _slug())
    return render_template(
        "profiles/profile.html",
        profile=shown,
        cards=summary_cards(shown.data),
        solicitors=solicitor_rows(shown.data),
        extra_contact=shown.data.get("family_rights_group"),
    )


@bp.route(f"/<any({SECTION_SLUGS}):section>", methods=["GET", "POST"])
@_authority_chosen
def edit_section(section: str):
    """Change one section of the profile on its own short page."""
    shown = service.profile_edit_start(_user(), _slug())
    spec = SECTIONS[section]
    form = section_form_class(section)()

    def save():
        values = {f.name: form[f.name].data for f in spec.fields}
        return _save(form, section_apply(shown.data, spec, values), spec)

    fill = {**section_values(shown.data, spec), "base_number": shown.number}
    answer = _run(form, lambda: form.process(data=fill), save)
    if not isinstance(answer, int):
        return answer
    return render_template("profiles/section.html", form=form, section=spec), answer


@bp.route("/solicitors", methods=["GET", "POST"])
@_authority_chosen
def solicitors():
    """List the local children-law solicitors, each with Change and Remove."""
    shown = service.profile_edit_start(_user(), _slug())
    form = RemoveForm()
    items = list(shown.data.get("solicitors") or [])

    def save():
        index = request.form.get("remove", "")
        if not index.isdigit() or not 1 <= int(index) <= len(items):
            raise NotFound("That solicitor is not in the profile.")
        del items[int(index) - 1]
        data = {k: v for k, v in shown.data.items() if k != "solicitors"}
        return _save(form, {**data, "solicitors": items} if items else data, fallback=form.submit)

    answer = _run(form, lambda: form.process(data={"base_number": shown.number}), save)
    if not isinstance(answer, int):
        return answer
    rows = solicitor_rows(shown.data)
    return render_template("profiles/solicitors.html", form=form, rows=rows), answer


def _solicitor_page(index: int | None):
    """Add (index None) or change the solicitor at index (1-based) on its own page."""
    shown = service.profile_edit_start(_user(), _slug())
    items = list(shown.data.get("solicitors") or [])
    if index is not None and not 1 <= index <= len(items):
        raise NotFound("That solicitor is not in the profile.")
    form = solicitor_form_class()()

    def save():
        item = solicitor_from({f.name: form[f.name].data for f in SOLICITOR_FIELDS})
        if index is None:
            items.append(item)
        else:
            items[index - 1] = item
        return _save(form, {**shown.data, "solicitors": items})

    current = items[index - 1] if index else {}
    answer = _run(form, lambda: form.process(data={**current, "base_number": shown.number}), save)
    if not isinstance(answer, int):
        return answer
    page = render_template(
        "profiles/solicitor.html", form=form, index=index, fields=SOLICITOR_FIELDS
    )
    return page, answer


@bp.route("/solicitors/new", methods=["GET", "POST"])
@_authority_chosen
def solicitor_new():
    """Add a solicitor to the list."""
    return _solicitor_page(None)


@bp.route("/solicitors/<int:index>", methods=["GET", "POST"])
@_authority_chosen
def solicitor_edit(index: int):
    """Change one solicitor of the list."""
    return _solicitor_page(index)


@bp.route("/logo", methods=["GET", "POST"])
@_authority_chosen
def logo():
    """Upload, replace or remove the logo used for the letterhead."""
    shown = service.profile_edit_start(_user(), _slug())
    form = LogoForm()

    def save():
        if "remove" in request.form:
            return _save(form, shown.data, fallback=form.logo, logo=None)
        if not form.logo.data:
            form.logo.errors = [*form.logo.errors, "Select a PNG or JPEG image"]
            return 400
        return _save(form, shown.data, fallback=form.logo, logo=uploaded_file(form.logo)[0])

    answer = _run(form, lambda: form.process(data={"base_number": shown.number}), save)
    if not isinstance(answer, int):
        return answer
    return render_template("profiles/logo.html", form=form, profile=shown), answer


@bp.get("/logo/image")
@_authority_chosen
def logo_image():
    """Send the authority's logo image (to anyone who may read the profile)."""
    data, media_type = service.profile_logo_image(_user(), _slug())
    response = Response(data, mimetype=media_type)
    response.headers["Content-Disposition"] = "inline"
    return response


@bp.get("/history")
@_authority_chosen
def history():
    """List the profile's versions: who changed which fields, and when."""
    shown = service.profile_show(_user(), _slug())
    versions = service.profile_versions(_user(), _slug())
    rows = [
        {
            "number": v.number,
            "who": v.changed_by,
            "when": v.created_at,
            "changes": [change_label(path) for path in v.changes],
        }
        for v in versions[:MAX_HISTORY]
    ]
    return render_template("profiles/history.html", profile=shown, rows=rows, total=len(versions))
