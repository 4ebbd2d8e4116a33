"""The renderer imports nothing of Flask or the database: only core errors and settings."""

import ast
from pathlib import Path

import clearinghouse.renderer

PACKAGE = Path(clearinghouse.renderer.__file__).parent
FORBIDDEN_ROOTS = {"flask", "flask_login", "flask_wtf", "flask_sqlalchemy", "sqlalchemy"}
CORE_ALLOWED = {"errors", "config"}  # clearinghouse modules the renderer may use


def _imports(path: Path):
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield 0, alias.name
        elif isinstance(node, ast.ImportFrom):
            yield node.level, node.module or ""


def test_renderer_modules_import_no_flask_database_or_feature():
    found = []
    for path in sorted(PACKAGE.glob("*.py")):
        for level, module in _imports(path):
            root = module.split(".")[0]
            if level == 0 and (root in FORBIDDEN_ROOTS or root == "clearinghouse"):
                found.append(f"{path.name}: {module}")
            elif level > 1 and root not in CORE_ALLOWED:
                found.append(f"{path.name}: {'.' * level}{module}")
    assert found == []
