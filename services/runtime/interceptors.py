"""The gRPC server interceptor that authenticates internal calls and binds the caller's tenant.

Every call except health and reflection must carry the shared internal token and a valid tenant;
otherwise it is refused with UNAUTHENTICATED before any servicer code runs.
"""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable
from typing import Any

import grpc

from runtime.tenancy import Tenant, TenancyError, bind_tenant, unbind_tenant

METADATA_TOKEN = "x-zk-internal-token"
_OPEN_PREFIXES = ("/grpc.health.v1.", "/grpc.reflection.")


def _refuse(message: str) -> grpc.RpcMethodHandler:
    async def abort(request: Any, context: grpc.aio.ServicerContext) -> Any:
        await context.abort(grpc.StatusCode.UNAUTHENTICATED, message)

    return grpc.unary_unary_rpc_method_handler(abort)


def _with_tenant(handler: grpc.RpcMethodHandler, tenant: Tenant) -> grpc.RpcMethodHandler:
    if handler.unary_unary is not None:
        inner = handler.unary_unary

        async def unary_unary(request: Any, context: grpc.aio.ServicerContext) -> Any:
            token = bind_tenant(tenant)
            try:
                return await inner(request, context)
            finally:
                unbind_tenant(token)

        return grpc.unary_unary_rpc_method_handler(
            unary_unary, request_deserializer=handler.request_deserializer, response_serializer=handler.response_serializer
        )
    if handler.unary_stream is not None:
        inner_stream = handler.unary_stream

        async def unary_stream(request: Any, context: grpc.aio.ServicerContext) -> Any:
            token = bind_tenant(tenant)
            try:
                async for item in inner_stream(request, context):
                    yield item
            finally:
                unbind_tenant(token)

        return grpc.unary_stream_rpc_method_handler(
            unary_stream, request_deserializer=handler.request_deserializer, response_serializer=handler.response_serializer
        )
    raise NotImplementedError("streaming requests are not used by Zorgketen services")


class AuthInterceptor(grpc.aio.ServerInterceptor):
    def __init__(self, internal_token: str):
        self._token = internal_token.encode()

    async def intercept_service(
        self,
        continuation: Callable[[grpc.HandlerCallDetails], Awaitable[grpc.RpcMethodHandler]],
        details: grpc.HandlerCallDetails,
    ) -> grpc.RpcMethodHandler:
        if details.method.startswith(_OPEN_PREFIXES):
            return await continuation(details)
        metadata = tuple(details.invocation_metadata or ())
        presented = next((v for k, v in metadata if k == METADATA_TOKEN), "")
        presented_bytes = presented.encode() if isinstance(presented, str) else presented
        if not hmac.compare_digest(presented_bytes, self._token):
            return _refuse("missing or wrong internal token")
        try:
            tenant = Tenant.from_metadata(metadata)
        except TenancyError as exc:
            return _refuse(f"no valid tenant: {exc}")
        handler = await continuation(details)
        if handler is None:
            return handler
        return _with_tenant(handler, tenant)


def call_metadata(internal_token: str, tenant: Tenant) -> list[tuple[str, str]]:
    """The metadata a client (the edge, a job) sends with every call on behalf of `tenant`."""
    return [(METADATA_TOKEN, internal_token), *tenant.to_metadata()]
