"""Domain errors raised by services; app.web.errorpages turns them into responses once."""

from __future__ import annotations

from collections.abc import Mapping


class DomainError(Exception):
    """Base of the errors a service may raise on purpose."""

    status_code = 400
    retry_after: int | None = None  # seconds, sent as Retry-After when set

    def __init__(self, message: str = "") -> None:
        super().__init__(message)
        self.message = message


class NotFound(DomainError):
    status_code = 404


class SignInRequired(DomainError):
    """The page is for signed-in people: pages redirect to the sign-in page, the API says 401."""

    status_code = 401


class Throttled(DomainError):
    status_code = 429


class Busy(DomainError):
    """The service is at capacity for this work: try again after `retry_after` seconds."""

    status_code = 503

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class Forbidden(DomainError):
    status_code = 403


class Conflict(DomainError):
    status_code = 409


class Invalid(DomainError):
    """Bad input: `errors` maps each field to a message a person can act on."""

    status_code = 422

    def __init__(self, errors: Mapping[str, str], message: str = "") -> None:
        super().__init__(message or "; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = dict(errors)


class TooLarge(DomainError):
    status_code = 413
