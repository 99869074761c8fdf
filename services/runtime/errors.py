"""The kinds of refusal every service speaks; servicers translate them to gRPC status codes.

Plain exceptions with no I/O, so a service's pure domain may raise them.
"""


class DomainError(ValueError):
    """A value or change the domain does not allow; the message says which and why."""


class NotFound(LookupError):
    """Does not exist, or lies outside the caller's tenancy (the two are not told apart)."""


class PermissionDenied(PermissionError):
    """The caller's role or tenancy does not allow this change."""


class AlreadyExists(ValueError):
    """The thing to create exists already."""


class Conflict(RuntimeError):
    """Another change to the same thing came first (e.g. two claims at once); the caller may look again."""
