"""The document renderer: docxtpl templates in a Jinja sandbox, compiled once, run in workers.

Pure: it takes a template's .docx bytes, plain case data and the RenderLimits to keep to, and
knows nothing of Flask, the database, settings or where templates come from. Callers use the
names below; the modules behind them are:

- limits.py: RenderLimits, what one render may take (the caller decides, from its settings)
- errors.py: TemplateError and RenderLimitError (core InvalidInput errors)
- sandbox.py: the Jinja environment, its filters, and constructs refused before compiling
- clean_data.py: case data made plain, XML-safe and within the limits
- docx_zip.py, docx_compile.py, docx_render.py, docx_errors.py, docx_inspect.py: the .docx
  read, compiled once, rendered, and its problems explained
- worker.py, pool.py: the worker processes that compile and render, with time and memory limits
"""

from .clean_data import clean_context
from .errors import RenderLimitError, TemplateError
from .limits import RenderLimits
from .pool import render_docx, shutdown, template_inspect, template_variables

__all__ = [
    "RenderLimitError",
    "RenderLimits",
    "TemplateError",
    "clean_context",
    "render_docx",
    "shutdown",
    "template_inspect",
    "template_variables",
]
