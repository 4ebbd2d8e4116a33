"""The profile's sections and fields: where each form field lives in the ``authority`` object.

The shape is the case model's ``$defs/authority``; this module only names its parts for people
(labels on the pages, and the words error messages use) and groups them into short pages.
"""

from dataclasses import dataclass

CONTACT_KEYS = ("name", "phone", "email", "address", "how")


@dataclass(frozen=True)
class Field:
    """One form field: its name, its path in the profile, its label and what errors call it."""

    name: str
    path: tuple[str, ...]
    label: str
    called: str  # "the complaints team's phone number": how messages name it
    kind: str = "text"  # text | tel | email | textarea
    hint: str = ""

    @property
    def params(self) -> dict:
        """Return the GOV.UK component options for this kind of field."""
        if self.kind == "tel":
            return {"type": "tel", "autocomplete": "tel", "classes": "govuk-!-width-one-half"}
        if self.kind == "email":
            return {"type": "email", "autocomplete": "email", "spellcheck": False}
        if self.kind == "textarea":
            return {"rows": 4}
        return {}


@dataclass(frozen=True)
class Group:
    """Fields shown together under a heading (a fieldset), or bare when the heading is empty."""

    heading: str
    fields: tuple[Field, ...]
    hint: str = ""


@dataclass(frozen=True)
class Section:
    """One short page of the profile and the top-level keys of the profile it edits."""

    slug: str
    title: str
    keys: tuple[str, ...]
    groups: tuple[Group, ...]

    @property
    def fields(self) -> tuple[Field, ...]:
        """Return every field of the section in page order."""
        return tuple(f for group in self.groups for f in group.fields)


def _contact(key: str, who: str, how_label: str, how_hint: str = "") -> tuple[Field, ...]:
    """Return the fields of a contact (name, phone, email, address, how) at ``key``."""
    path = tuple(key.split("."))
    stem = "_".join(path)
    return (
        Field(f"{stem}_name", (*path, "name"), "Name of the team or service", f"{who} name"),
        Field(f"{stem}_phone", (*path, "phone"), "Phone", f"{who} phone number", "tel"),
        Field(f"{stem}_email", (*path, "email"), "Email", f"{who} email address", "email"),
        Field(
            f"{stem}_address",
            (*path, "address"),
            "Address",
            f"{who} address",
            hint="On one line, with commas between the parts",
        ),
        Field(f"{stem}_how", (*path, "how"), how_label, f"{who} details", "textarea", how_hint),
    )


SECTIONS: dict[str, Section] = {
    section.slug: section
    for section in (
        Section(
            "service",
            "Service and contacts",
            ("name", "service", "address", "phone", "email", "out_of_hours_phone"),
            (
                Group(
                    "",
                    (
                        Field("name", ("name",), "Name of the authority", "authority's name"),
                        Field(
                            "service",
                            ("service",),
                            "Service",
                            "service's name",
                            hint="For example, Children's Services",
                        ),
                        Field(
                            "address",
                            ("address",),
                            "Address",
                            "service's address",
                            hint="On one line, with commas between the parts",
                        ),
                        Field("phone", ("phone",), "Phone", "service's phone number", "tel"),
                        Field("email", ("email",), "Email", "service's email address", "email"),
                        Field(
                            "out_of_hours_phone",
                            ("out_of_hours_phone",),
                            "Out-of-hours phone",
                            "out-of-hours phone number",
                            "tel",
                            "The emergency duty team, for evenings, weekends and bank holidays",
                        ),
                    ),
                ),
            ),
        ),
        Section(
            "complaints",
            "Complaints and advocacy",
            ("complaints", "advocacy"),
            (
                Group(
                    "Complaints",
                    _contact("complaints", "complaints team's", "How to complain"),
                ),
                Group(
                    "Advocacy",
                    _contact(
                        "advocacy",
                        "advocacy service's",
                        "What an advocate does and how to ask for one",
                    ),
                ),
            ),
        ),
        Section(
            "legal",
            "Legal services",
            ("legal_services",),
            (
                Group(
                    "",
                    (
                        Field(
                            "legal_name",
                            ("legal_services", "name"),
                            "Name of the legal team",
                            "legal team's name",
                        ),
                        Field(
                            "legal_lawyer",
                            ("legal_services", "lawyer"),
                            "Lawyer",
                            "lawyer's name",
                            hint="Leave empty if letters should name the team only",
                        ),
                        *_contact("legal_services", "legal team's", "How to get in touch")[1:],
                    ),
                ),
            ),
        ),
        Section(
            "interpreting",
            "Interpreting and translation",
            ("interpreting",),
            (
                Group(
                    "",
                    _contact(
                        "interpreting",
                        "interpreting service's",
                        "How families ask for an interpreter or a translated letter",
                    ),
                ),
            ),
        ),
        Section(
            "conference",
            "Challenging a conference decision",
            ("conference_challenge",),
            (
                Group(
                    "",
                    (
                        Field(
                            "chair_how",
                            ("conference_challenge", "chair_how"),
                            "How to raise it with the conference chair",
                            "way to raise it with the chair",
                            "textarea",
                            "This comes first. It is not the council's complaints procedure.",
                        ),
                    ),
                ),
                Group(
                    "Safeguarding children partnership",
                    _contact(
                        "conference_challenge.partnership",
                        "partnership's",
                        "How to ask the partnership to look at the decision",
                    ),
                    hint="If the family is still unhappy after the chair's reply.",
                ),
            ),
        ),
    )
}

SOLICITOR_FIELDS = (
    Field("firm", ("firm",), "Firm", "firm's name"),
    Field(
        "address",
        ("address",),
        "Address",
        "firm's address",
        hint="On one line, with commas between the parts",
    ),
    Field("phone", ("phone",), "Phone", "firm's phone number", "tel"),
    Field("email", ("email",), "Email", "firm's email address", "email"),
)

# How messages name a path no form field shows (the API, the command line).
PATH_NAMES = {
    "family_rights_group": "Family Rights Group contact",
    "solicitors": "list of solicitors",
    "logo": "logo",
}


def field_for(path: tuple) -> Field | None:
    """Return the section field at this profile path, if a page shows it."""
    for section in SECTIONS.values():
        for field in section.fields:
            if field.path == tuple(path):
                return field
    return None


def called(path: tuple) -> str:
    """Return how messages name the value at this profile path."""
    path = tuple(path)
    field = field_for(path)
    if field is not None:
        return field.called
    if len(path) >= 2 and path[0] == "solicitors" and isinstance(path[1], int):
        inner = next((f for f in SOLICITOR_FIELDS if f.path == tuple(path[2:])), None)
        number = path[1] + 1
        return f"{inner.called} (solicitor {number})" if inner else f"solicitor {number}"
    if path and path[0] in PATH_NAMES:
        return PATH_NAMES[path[0]]
    return "/".join(str(p) for p in path) or "profile"
