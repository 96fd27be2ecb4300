"""The contract's error shape, `{error: {code, message, field?}}`, and its HTTP statuses."""

from __future__ import annotations

from typing import Any

HTTP_STATUS = {
    "invalid": 400,
    "unauthorized": 401,
    "forbidden": 403,
    "not_found": 404,
    "conflict": 409,
    "locked": 409,
    "budget_exceeded": 409,
    "round_closed": 409,
    "closed": 409,  # a closed listening (CONTRACT.md §7)
    "too_large": 413,
    "rate_limited": 429,
    "unavailable": 503,
}

# How the browser treats a refusal of its op (static/js/socket.js): "always": "not now" rather than
# "no", the same op (same op_id) is sent again after a pause however long it lasts; "few": a server
# fault, tried a few times only. Any other code is final: the op is dropped and the user told.
CLIENT_RETRY = {"rate_limited": "always", "unavailable": "always", "internal": "few"}


class OpError(Exception):
    """A refusal that reaches the client as an error object; never a crash."""

    def __init__(self, code: str, message: str, field: str | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field

    @property
    def status(self) -> int:
        return HTTP_STATUS.get(self.code, 400)

    def body(self) -> dict[str, Any]:
        error: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.field:
            error["field"] = self.field
        return {"error": error}


def from_validation(exc: Any) -> OpError:
    """The first problem of a pydantic ValidationError, named by its field path."""
    first = exc.errors()[0]
    field = ".".join(str(part) for part in first.get("loc", ()) if part != "__root__") or None
    code = "too_large" if first.get("type") in ("string_too_long", "too_long") else "invalid"
    message = first.get("msg", "invalid value")
    return OpError(code, f"{field}: {message}" if field else message, field)


def unavailable(exc: BaseException) -> OpError | None:
    """A lost, restarting or saturated database is a passing condition, not a bug: the request is
    answered `unavailable` (503) so the client sends it again, never `internal` nor a 500."""
    from sqlalchemy import exc as sa

    if isinstance(exc, (sa.OperationalError, sa.InterfaceError, sa.TimeoutError)) or (
        isinstance(exc, sa.DBAPIError) and exc.connection_invalidated
    ):
        return OpError("unavailable", "the database is unreachable for a moment: send it again")
    return None
