"""Who is calling: the caller's role and their gemeentecode(s) or AGB code.

The edge authenticates people and partner systems and passes a `Tenant` to the services in gRPC
metadata; every service reads it back with `current_tenant()` and filters every query with
`Tenant.clause()`. A gemeente-side caller sees rows of its gemeenten; an aanbieder sees only rows
tied to its AGB code. There is no tenant that sees everything.
"""

from __future__ import annotations

import contextvars
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import ColumnElement, false

METADATA_ROLE = "x-zk-role"
METADATA_GEMEENTEN = "x-zk-gemeenten"
METADATA_AGB = "x-zk-agb"
METADATA_SUBJECT = "x-zk-subject"

_GEMEENTECODE = re.compile(r"^\d{4}$")
_AGB = re.compile(r"^\d{8}$")


class Role(StrEnum):
    GEMEENTE_CONSULENT = "gemeente_consulent"
    CONTRACTMANAGER = "contractmanager"
    FINANCIEEL_MEDEWERKER = "financieel_medewerker"
    REGIONAAL_BACKOFFICE = "regionaal_backoffice"
    AANBIEDER_MEDEWERKER = "aanbieder_medewerker"
    BEHEERDER = "beheerder"
    # A partner system (OAuth2 client) or an internal job, bound to gemeenten or to one AGB like a person.
    SYSTEEM = "systeem"


class TenancyError(ValueError):
    """The metadata does not describe a valid tenant."""


@dataclass(frozen=True)
class Tenant:
    role: Role
    subject: str
    gemeentecodes: frozenset[str] = frozenset()
    agb: str | None = None

    def __post_init__(self) -> None:
        if bool(self.gemeentecodes) == bool(self.agb):
            raise TenancyError("a tenant is bound to gemeentecode(s) or to one AGB code, not both or neither")
        bad = [g for g in self.gemeentecodes if not _GEMEENTECODE.match(g)]
        if bad:
            raise TenancyError(f"not a gemeentecode (4 digits): {', '.join(sorted(bad))}")
        if self.agb is not None and not _AGB.match(self.agb):
            raise TenancyError(f"not an AGB code (8 digits): {self.agb}")
        if self.role is Role.AANBIEDER_MEDEWERKER and not self.agb:
            raise TenancyError("an aanbieder medewerker is bound to an AGB code")
        if self.agb and self.role not in (Role.AANBIEDER_MEDEWERKER, Role.SYSTEEM):
            raise TenancyError(f"role {self.role} is a gemeente role and cannot be bound to an AGB code")

    @classmethod
    def gemeente(cls, role: Role, subject: str, codes: Iterable[str]) -> Tenant:
        return cls(role=role, subject=subject, gemeentecodes=frozenset(codes))

    @classmethod
    def aanbieder(cls, role: Role, subject: str, agb: str) -> Tenant:
        return cls(role=role, subject=subject, agb=agb)

    @property
    def is_aanbieder(self) -> bool:
        return self.agb is not None

    def mag_gemeente(self, gemeentecode: str) -> bool:
        return gemeentecode in self.gemeentecodes

    def clause(self, gemeente_column: ColumnElement | None, agb_column: ColumnElement | None = None) -> ColumnElement[bool]:
        """The WHERE clause that limits a query to this tenant's rows."""
        if self.agb is not None:
            return agb_column == self.agb if agb_column is not None else false()
        if gemeente_column is None:
            return false()
        return gemeente_column.in_(sorted(self.gemeentecodes)) if self.gemeentecodes else false()

    def to_metadata(self) -> list[tuple[str, str]]:
        md = [(METADATA_ROLE, self.role.value), (METADATA_SUBJECT, self.subject)]
        if self.agb:
            md.append((METADATA_AGB, self.agb))
        else:
            md.append((METADATA_GEMEENTEN, ",".join(sorted(self.gemeentecodes))))
        return md

    @classmethod
    def from_metadata(cls, metadata: Sequence[tuple[str, str | bytes]]) -> Tenant:
        md = {k: (v.decode() if isinstance(v, bytes) else v) for k, v in metadata}
        role_raw = md.get(METADATA_ROLE)
        if not role_raw:
            raise TenancyError(f"the call carries no {METADATA_ROLE}")
        try:
            role = Role(role_raw)
        except ValueError:
            raise TenancyError(f"unknown role {role_raw!r}") from None
        gemeenten = frozenset(g for g in md.get(METADATA_GEMEENTEN, "").split(",") if g)
        return cls(role=role, subject=md.get(METADATA_SUBJECT, ""), gemeentecodes=gemeenten, agb=md.get(METADATA_AGB) or None)


_current: contextvars.ContextVar[Tenant] = contextvars.ContextVar("zorgketen_tenant")


def current_tenant() -> Tenant:
    """The tenant of the gRPC call being handled; raises LookupError outside a call."""
    return _current.get()


def bind_tenant(tenant: Tenant) -> contextvars.Token[Tenant]:
    return _current.set(tenant)


def unbind_tenant(token: contextvars.Token[Tenant]) -> None:
    _current.reset(token)


__all__ = ["Role", "Tenant", "TenancyError", "current_tenant", "bind_tenant", "unbind_tenant"]
