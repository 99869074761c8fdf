"""Helpers for thin gRPC servicers: refusals become status codes with their message."""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import grpc

from runtime.errors import AlreadyExists, Conflict, DomainError, NotFound, PermissionDenied
from runtime.pagination import PageTokenError

T = TypeVar("T")

_CODES: tuple[tuple[type[Exception], grpc.StatusCode], ...] = (
    (DomainError, grpc.StatusCode.INVALID_ARGUMENT),
    (PageTokenError, grpc.StatusCode.INVALID_ARGUMENT),
    (NotFound, grpc.StatusCode.NOT_FOUND),
    (PermissionDenied, grpc.StatusCode.PERMISSION_DENIED),
    (AlreadyExists, grpc.StatusCode.ALREADY_EXISTS),
    (Conflict, grpc.StatusCode.ABORTED),
)


def rpc(method: Callable[..., Awaitable[T]]) -> Callable[..., Awaitable[T]]:
    """Wraps a servicer method so a refusal reaches the caller as the matching gRPC status."""

    @functools.wraps(method)
    async def wrapper(self: Any, request: Any, context: grpc.aio.ServicerContext) -> T:
        try:
            return await method(self, request, context)
        except tuple(kind for kind, _ in _CODES) as exc:
            code = next(code for kind, code in _CODES if isinstance(exc, kind))
            await context.abort(code, str(exc) or type(exc).__name__)
            raise  # unreachable: abort raises

    return wrapper
