"""gRPC channels and servers with room for the largest message the chain carries.

An i-Standaard message may be 25 MB (OP179) and travels whole inside a gRPC message (Ontvang,
GetBerichtXml, Verstuur), so every server and channel allows messages of MAX_MESSAGE_BYTES instead
of gRPC's default of 4 MB.
"""

from __future__ import annotations

import grpc

MAX_MESSAGE_BYTES = 32 * 1024 * 1024  # 25 MB of XML plus the envelope
OPTIONS = (("grpc.max_receive_message_length", MAX_MESSAGE_BYTES), ("grpc.max_send_message_length", MAX_MESSAGE_BYTES))


def open_channel(address: str) -> grpc.aio.Channel:
    """An asyncio channel to a Zorgketen service."""
    return grpc.aio.insecure_channel(address, options=OPTIONS)
