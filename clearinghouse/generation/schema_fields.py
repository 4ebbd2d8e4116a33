"""How one property of a case schema shows as a form question: its kind, label and options."""

from dataclasses import dataclass, field

RADIOS_MAX = 5
SHORT_WORDS = ("name", "phone", "email", "title", "role", "postcode", "relationship", "id")
LONG_WORDS = (
    "description", "details", "reason", "statement", "goal", "summary", "notes", "text",
    "example", "analysis", "views", "what", "how", "history", "support", "address", "plan",
)  # fmt: skip


@dataclass
class Field:
    """One question, group or repeating group of the generated form."""

    kind: str  # text, textarea, number, date, email, select, radios, checkboxes,
    # lines, json, group, repeat
    name: str  # the id and form name
    label: str
    hint: str = ""
    value: object = None
    error: str = ""
    required: bool = False
    options: list = field(default_factory=list)  # (value, label)
    children: list = field(default_factory=list)  # group: fields; repeat: one group per item
    item_label: str = ""
    can_add: bool = False
    can_remove: bool = False
    index: int = -1


def kind_of(schema: dict) -> str:
    """Return the JSON type a schema node holds ("any" when it does not say)."""
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), None)
    if kind is None:
        if "properties" in schema:
            return "object"
        if "enum" in schema:
            return "string"
    return kind or "any"


def field_title(schema: dict, key: str) -> str:
    """Return a field's label: the schema's title, or its key in words."""
    if schema.get("title"):
        return schema["title"]
    words = str(key).replace("_", " ").capitalize()
    return words[:-2] + "ID" if words == "Id" or words.endswith(" id") else words


ITEM_NAMES = {
    "safety_network": "network member",
    "child_voice": "child's three houses",
    "chronology": "chronology entry",
    "support_offered": "support or assessment",
    "help_given": "help given",
    "harm": "harm statement",
    "agreed_by": "person who agreed",
    "disagreed": "point not agreed",
    "existing_safety": "example of existing safety",
    "goal_progress": "goal's progress",
    "network": "network member's view",
    "parents": "parent's view",
    "parents_agreed": "parent who agreed",
    "seen": "time the child was seen",
    "who_helps": "person who helps",
    "worker_next_steps": "next step for the worker",
    "decisions": "decision for a child",
}


def singular(key: str) -> str:
    """Return what one item of a list called key is called ("children" -> "child")."""
    if key in ITEM_NAMES:
        return ITEM_NAMES[key]
    words = str(key).replace("_", " ")
    if words.endswith("children"):
        return words[: -len("children")] + "child"
    if words.endswith("ies"):
        return words[:-3] + "y"
    if words.endswith(("sses", "xes", "ches")):
        return words[:-2]
    if words.endswith("s") and not words.endswith("ss"):
        return words[:-1]
    return words


def enum_options(schema: dict) -> list:
    """Return (value, label) options of an enum, with labels where the schema gives them."""
    names = schema.get("x-enum-labels") or schema.get("enumNames") or []
    values = [v for v in schema.get("enum", []) if v is not None]
    return [(v, names[i] if i < len(names) else str(v)) for i, v in enumerate(values)]


def string_kind(schema: dict, key: str) -> str:
    """Return the input a text field gets: radios, select, date, email, text or textarea."""
    if schema.get("enum"):
        return "radios" if len(schema["enum"]) <= RADIOS_MAX else "select"
    fmt = schema.get("format")
    if fmt == "date":
        return "date"
    if fmt == "email":
        return "email"
    widget = schema.get("x-widget")
    if widget in ("textarea", "text"):
        return widget
    max_length = schema.get("maxLength")
    if max_length is not None:
        return "text" if max_length <= 300 else "textarea"
    lowered = str(key).lower()
    if any(lowered == w or lowered.endswith("_" + w) for w in SHORT_WORDS):
        return "text"
    return "textarea" if any(w in lowered for w in LONG_WORDS) else "text"
