"""Profile pages: the summary, a short page per section, solicitors one at a time, logo, history.

Each page is about the signed-in user's authority; a site admin (who has none) chooses one,
and the choice travels as ``?authority=<slug>`` on every link and form.
"""

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
def edit_section(section: str):
    """Change one section of the profile on its own short page."""
    if _needs_choice():
        return redirect(url_for("profiles.profile"))
    shown = service.profile_edit_start(_user(), _slug())
    spec = SECTIONS[section]
    form = section_form_class(section)()
    status = 200
    if request.method == "GET":
        form.process(data={**section_values(shown.data, spec), "base_number": shown.number})
    elif form.validate_on_submit():
        values = {f.name: form[f.name].data for f in spec.fields}
        answer = _save(form, section_apply(shown.data, spec, values), spec)
        if not isinstance(answer, int):
            return answer
        status = answer
    else:
        status = 400
    return render_template("profiles/section.html", form=form, section=spec), status


@bp.route("/solicitors", methods=["GET", "POST"])
def solicitors():
    """List the local children-law solicitors, each with Change and Remove."""
    if _needs_choice():
        return redirect(url_for("profiles.profile"))
    shown = service.profile_edit_start(_user(), _slug())
    form = RemoveForm()
    status = 200
    if request.method == "GET":
        form.base_number.data = str(shown.number)
    elif form.validate_on_submit():
        index = request.form.get("remove", "")
        items = list(shown.data.get("solicitors") or [])
        if not index.isdigit() or not 1 <= int(index) <= len(items):
            raise NotFound("That solicitor is not in the profile.")
        del items[int(index) - 1]
        data = (
            {**shown.data, "solicitors": items}
            if items
            else {k: v for k, v in shown.data.items() if k != "solicitors"}
        )
        answer = _save(form, data, fallback=form.submit)
        if not isinstance(answer, int):
            return answer
        status = answer
    else:
        status = 400
    return render_template(
        "profiles/solicitors.html", form=form, rows=solicitor_rows(shown.data)
    ), status


def _solicitor_page(shown, index: int | None):
    """Add (index None) or change the solicitor at index (1-based) on its own page."""
    items = list(shown.data.get("solicitors") or [])
    if index is not None and not 1 <= index <= len(items):
        raise NotFound("That solicitor is not in the profile.")
    form = solicitor_form_class()()
    status = 200
    if request.method == "GET":
        current = items[index - 1] if index else {}
        form.process(data={**current, "base_number": shown.number})
    elif form.validate_on_submit():
        item = solicitor_from({f.name: form[f.name].data for f in SOLICITOR_FIELDS})
        if index is None:
            items.append(item)
        else:
            items[index - 1] = item
        answer = _save(form, {**shown.data, "solicitors": items})
        if not isinstance(answer, int):
            return answer
        status = answer
    else:
        status = 400
    return render_template("profiles/solicitor.html", form=form, index=index), status


@bp.route("/solicitors/new", methods=["GET", "POST"])
def solicitor_new():
    """Add a solicitor to the list."""
    if _needs_choice():
        return redirect(url_for("profiles.profile"))
    return _solicitor_page(service.profile_edit_start(_user(), _slug()), None)


@bp.route("/solicitors/<int:index>", methods=["GET", "POST"])
def solicitor_edit(index: int):
    """Change one solicitor of the list."""
    if _needs_choice():
        return redirect(url_for("profiles.profile"))
    return _solicitor_page(service.profile_edit_start(_user(), _slug()), index)


@bp.route("/logo", methods=["GET", "POST"])
def logo():
    """Upload, replace or remove the logo used for the letterhead."""
    if _needs_choice():
        return redirect(url_for("profiles.profile"))
    shown = service.profile_edit_start(_user(), _slug())
    form = LogoForm()
    status = 200
    if request.method == "GET":
        form.base_number.data = str(shown.number)
    elif form.validate_on_submit():
        if "remove" in request.form:
            new_logo = None
        elif form.logo.data:
            new_logo, _ = uploaded_file(form.logo)
        else:
            form.logo.errors = [*form.logo.errors, "Select a PNG or JPEG image"]
            new_logo = service.KEEP
        if new_logo is not service.KEEP:
            answer = _save(form, shown.data, fallback=form.logo, logo=new_logo)
            if not isinstance(answer, int):
                return answer
            status = answer
        else:
            status = 400
    else:
        status = 400
    return render_template("profiles/logo.html", form=form, profile=shown), status


@bp.get("/logo/image")
def logo_image():
    """Send the authority's logo image (to anyone who may read the profile)."""
    if _needs_choice():
        return redirect(url_for("profiles.profile"))
    data, media_type = service.profile_logo_image(_user(), _slug())
    response = Response(data, mimetype=media_type)
    response.headers["Content-Disposition"] = "inline"
    return response


@bp.get("/history")
def history():
    """List the profile's versions: who changed which fields, and when."""
    if _needs_choice():
        return redirect(url_for("profiles.profile"))
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
