"""What the renderer raises: a broken or forbidden template, or a render over a limit.

Both are core InvalidInput errors, so the app's one error handler answers them (422, or 413
for size limits) without the renderer knowing anything of HTTP.
"""

from ..errors import InvalidInput


class RenderLimitError(InvalidInput):
    """A render went over a limit: input or output size, list length, time, memory, depth.

    Size limits answer 413; the others (list length, time, memory, nesting) answer 422.
    """

    def __init__(self, message: str, details: list | None = None, status: int = 422):
        super().__init__("render_limit", message, details, status=status)


class TemplateError(InvalidInput):
    """A template is broken or does something templates may not do.

    ``details`` holds ``{"part", "message", "context"}`` items, ``context`` being the
    paragraph text around the bad tag.
    """

    def __init__(self, message: str, details: list | None = None):
        super().__init__("template_error", message, details, status=422)
