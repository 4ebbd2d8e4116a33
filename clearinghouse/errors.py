"""Errors services raise, and the one place they become HTTP answers."""

from dataclasses import dataclass, field


class ServiceError(Exception):
    """Base of every error a service raises for its caller to show."""

    status = 400
    code = "bad_request"
    headers: dict = {}  # sent with the answer (a 503's Retry-After); never changed in place

    def __init__(self, message: str, code: str | None = None, details: list | None = None):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        self.details = details or []


class NotFound(ServiceError):
    """The thing does not exist, or the user may not know it exists."""

    status = 404
    code = "not_found"


class NotAuthorized(ServiceError):
    """The user may see the thing but not do this to it."""

    status = 403
    code = "forbidden"


class InvalidInput(ServiceError):
    """The input was understood but is not acceptable."""

    status = 422
    code = "invalid_input"

    def __init__(self, code: str, message: str, details: list | None = None, status: int = 422):
        super().__init__(message, code, details)
        self.status = status


class Conflict(ServiceError):
    """The operation clashes with the current state."""

    status = 409
    code = "conflict"


class Busy(ServiceError):
    """The service cannot answer now (a lock held too long); the caller may try again."""

    status = 503
    code = "busy"
    headers = {"Retry-After": "5"}


@dataclass
class FieldProblem:
    """One problem with one field, for error details."""

    path: str
    message: str
    extra: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        """Return the problem as a JSON-ready dict."""
        return {"path": self.path, "message": self.message, **self.extra}


def error_body(code: str, message: str, details: list | None = None) -> dict:
    """Return the API's JSON error shape."""
    return {"error": {"code": code, "message": message, "details": details or []}}
