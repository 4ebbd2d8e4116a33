"""Inspection for template checks: a template's problems, variables and the data paths it reads."""

from jinja2 import meta

from .docx_compile import compile_docx
from .docx_errors import error_context
from .errors import TemplateError
from .sandbox import data_paths, document_env


def inspect_docx(data: bytes) -> dict:
    """Return {"problems": [...], "variables": [...], "paths": [...]} for template checks."""
    try:
        compiled = compile_docx(data)
    except TemplateError as exc:
        return {
            "problems": exc.details
            or [{"part": "", "message": exc.message, "context": "", "kind": "file"}],
            "variables": [],
            "paths": {},
        }
    env = document_env()
    paths: dict[str, dict] = {}
    for part in compiled.parts.values():
        if part.kind == "core":
            sources = [(f"{part.name}:{prop}", source) for prop, source, _ in part.props]
        else:
            sources = [(part.name, part.source)]
        for name, source in sources:
            ast = env.parse(source)
            found = data_paths(ast, meta.find_undeclared_variables(ast) - set(env.globals))
            for path, lineno in found.items():
                context = error_context(source, lineno)
                paths.setdefault(path, {"part": name, "context": context})
    return {"problems": [], "variables": sorted(compiled.variables), "paths": paths}
