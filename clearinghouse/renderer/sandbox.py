"""The Jinja sandbox every template part is rendered in, and its filters.

One environment class for rendering, variable listing and checks: Jinja's
ImmutableSandboxedEnvironment with autoescape, Jinja's harmless filters plus our own
(long_date, join_and, initials), no loaders, and stricter rules than Jinja's own sandbox:
unsafe attribute access raises at once (instead of printing nothing), includes, imports,
and Jinja's helper globals are refused before a template is compiled, and operators that
build huge values are limited.
"""

import re
from datetime import date

from jinja2 import nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError
from markupsafe import Markup, escape

# Jinja's built-in filters a template may use; the rest can break the XML (safe, xmlattr),
# reveal internals (pprint, tojson, attr) or blow up output (center, indent, wordwrap).
ALLOWED_BUILTIN_FILTERS = {
    "abs", "batch", "capitalize", "count", "d", "default", "dictsort", "e", "escape",
    "first", "float", "groupby", "int", "items", "join", "last", "length", "list", "lower",
    "map", "max", "min", "reject", "rejectattr", "replace", "reverse", "round", "select",
    "selectattr", "slice", "sort", "string", "striptags", "sum", "title", "trim",
    "truncate", "unique", "upper", "wordcount",
}  # fmt: skip
ALLOWED_GLOBALS = {"range", "dict", "namespace"}
# Names that are not data and must never be looked up, even though they are not defined.
FORBIDDEN_NAMES = {
    "self", "config", "request", "session", "g", "lipsum", "cycler", "joiner", "url_for",
    "get_flashed_messages", "current_app", "current_user", "environ", "settings", "os",
    "__builtins__", "builtins", "globals", "locals", "import", "open", "eval", "exec",
}  # fmt: skip
MAX_SEQUENCE = 1_000_000  # longest string or list one operator may build
MAX_POWER_BITS = 4096  # largest number ** may build
MAX_FORMAT_WIDTH = 10_000
_FORMAT_WIDTH = re.compile(r"%[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?")
MONTHS = (
    "January February March April May June July August September October November December"
).split()


# ---- filters ---------------------------------------------------------------------------


def long_date(value) -> str:
    """Format an ISO date ("2026-03-05") as "5 March 2026"; anything else comes back as is."""
    if value is None:
        return ""
    text = str(value).strip()
    try:
        day = date.fromisoformat(text[:10])
    except ValueError:
        return text
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def join_and(values, last: str = " and ") -> str:
    """Join a list as "A, B and C", leaving out empty items."""
    if values is None or isinstance(values, str):
        return values or ""
    items = [str(v) for v in values if v not in (None, "")]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + last + items[-1]


def initials(value) -> str:
    """Return a name's initials: "Jamie Smith" -> "J.S."."""
    if not value:
        return ""
    parts = re.split(r"[\s\-]+", str(value).strip())
    return "".join(f"{p[0].upper()}." for p in parts if p and p[0].isalnum())


# ---- the environment -------------------------------------------------------------------


def _encode_braces(text: str) -> str:
    # Braces from values are written as character references: the document's text is
    # exactly what was typed, but the XML never holds "{{", "{%" or "{#" made from data,
    # so no later step (docxtpl's "{_{" unescaping, a re-render) can read data as a tag.
    return text.replace("{", "&#123;").replace("}", "&#125;")


def finalize_value(value):
    """Turn an expression's value into escaped XML text (None prints nothing)."""
    if value is None:
        return Markup("")
    if isinstance(value, Markup):
        return Markup(_encode_braces(str(value)))  # noqa: S704 - already escaped
    return Markup(_encode_braces(str(escape(str(value)))))  # noqa: S704 - escaped here


class DocumentEnvironment(ImmutableSandboxedEnvironment):
    """The sandbox for document templates: immutable, autoescaped, limited."""

    intercepted_binops = frozenset({"*", "**", "%"})

    def __init__(self):
        super().__init__(autoescape=True, finalize=finalize_value)
        self.filters = {k: v for k, v in self.filters.items() if k in ALLOWED_BUILTIN_FILTERS}
        self.filters.update(long_date=long_date, join_and=join_and, initials=initials)
        self.globals = {k: v for k, v in self.globals.items() if k in ALLOWED_GLOBALS}

    def unsafe_undefined(self, obj, attribute):
        """Refuse unsafe attribute access outright instead of printing nothing."""
        raise SecurityError(
            f"The template tried to use {attribute!r}, which templates may not do "
            "(only the case data's own fields can be used)."
        )

    def call_binop(self, context, operator, left, right):
        """Run * ** % but refuse results too large to be sensible in a document."""
        if operator == "*":
            for seq, count in ((left, right), (right, left)):
                if isinstance(seq, (str, list, tuple)) and isinstance(count, int):
                    if len(seq) * max(count, 0) > MAX_SEQUENCE:
                        raise SecurityError("The template tried to build a huge value with *.")
        elif operator == "**":
            if isinstance(left, int) and isinstance(right, int) and right > 0:
                if max(abs(left).bit_length(), 1) * right > MAX_POWER_BITS:
                    raise SecurityError("The template tried to build a huge number with **.")
        elif operator == "%" and isinstance(left, str):
            for width, precision in _FORMAT_WIDTH.findall(left):
                for number in (width, precision):
                    if number == "*" or (number and int(number) > MAX_FORMAT_WIDTH):
                        raise SecurityError("The template used a format width that is too big.")
        return super().call_binop(context, operator, left, right)


_ENV: DocumentEnvironment | None = None


def document_env() -> DocumentEnvironment:
    """Return the process's one document environment."""
    global _ENV
    if _ENV is None:
        _ENV = DocumentEnvironment()
    return _ENV


def forbidden_constructs(ast: nodes.Template) -> list[str]:
    """Return messages for every construct the sandbox refuses, found before rendering."""
    problems: list[str] = []

    def add(message: str) -> None:
        if message not in problems:
            problems.append(message)

    for node in ast.find_all((nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends)):
        word = type(node).__name__.lower().replace("fromimport", "import")
        add(f"Templates may not {word} other templates ({{% {word} %}}).")
    names = list(ast.find_all(nodes.Name))
    own = {n.name for n in names if n.ctx in ("store", "param")}  # set, loop and macro names
    for node in names:
        if node.ctx != "load" or node.name in own:
            continue
        if node.name in FORBIDDEN_NAMES or node.name.startswith("_"):
            add(f"Templates may not use {node.name!r}: it is not part of the case data.")
    for node in ast.find_all(nodes.Getattr):
        if node.attr.startswith("_"):
            add(f"Templates may not use hidden attributes such as {node.attr!r}.")
    for node in ast.find_all(nodes.Getitem):
        if isinstance(node.arg, nodes.Const) and str(node.arg.value).startswith("_"):
            add(f"Templates may not use hidden attributes such as {node.arg.value!r}.")
    for node in ast.find_all(nodes.Getattr):
        if node.attr in ("format", "format_map"):
            add("Templates may not use format strings (.format); write the text out instead.")
    return problems


_PASS_THROUGH_FILTERS = {
    "sort", "reverse", "list", "unique", "select", "reject", "selectattr", "rejectattr",
    "first", "last", "default", "d",
}  # fmt: skip


def data_paths(ast, undeclared: set[str]) -> dict[str, int]:
    """Return the data paths a template reads ("worker.name", "children[].name"), with the
    template line each is first read on. Loop and set names stand for what they were bound
    to, scope by scope; names bound to anything else are not data."""
    lines: dict[str, int] = {}

    def path_of(node, scope: dict) -> str | None:
        if isinstance(node, nodes.Name):
            if node.name in scope:
                return scope[node.name]
            return node.name if node.name in undeclared else None
        if isinstance(node, nodes.Getattr):
            base = path_of(node.node, scope)
            return f"{base}.{node.attr}" if base else None
        if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
            base = path_of(node.node, scope)
            if base and isinstance(node.arg.value, str):
                return f"{base}.{node.arg.value}"
            return f"{base}[]" if base and isinstance(node.arg.value, int) else None
        if isinstance(node, nodes.Filter) and node.name in _PASS_THROUGH_FILTERS:
            base = path_of(node.node, scope)
            if base and node.name in ("first", "last") and base.endswith("[]"):
                return base[:-2]
            return base
        if isinstance(node, nodes.Or):
            return path_of(node.left, scope)
        return None

    def bind(target, value: str | None, scope: dict) -> None:
        if isinstance(target, nodes.Name):
            scope[target.name] = value
        else:
            for name in target.find_all(nodes.Name):
                scope[name.name] = None

    def visit(node, scope: dict) -> None:
        if isinstance(node, nodes.For):
            visit(node.iter, scope)
            inner = dict(scope)
            found = path_of(node.iter, scope)
            bind(node.target, f"{found}[]" if found else None, inner)
            for child in [node.test, *node.body] if node.test else node.body:
                visit(child, inner)
            for child in node.else_:
                visit(child, scope)
            return
        if isinstance(node, (nodes.Macro, nodes.CallBlock)):
            inner = dict(scope)
            for arg in node.args:
                bind(arg, None, inner)
            for child in node.body:
                visit(child, inner)
            return
        if isinstance(node, nodes.Assign):
            visit(node.node, scope)
            bind(node.target, path_of(node.node, scope), scope)
            return
        if isinstance(node, (nodes.Name, nodes.Getattr, nodes.Getitem)):
            found = path_of(node, scope)
            if found and (found in undeclared or not isinstance(node, nodes.Name)):
                lines.setdefault(found, node.lineno)
        for child in node.iter_child_nodes():
            visit(child, scope)

    visit(ast, {})
    return lines
