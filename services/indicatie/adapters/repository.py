"""Persistence of cliënten, their BRP-mutaties and the audit log of reads and changes; every read is
limited to the caller's tenancy."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import ColumnElement, delete, exists, func, insert as sa_insert, or_, select, tuple_, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from indicatie.adapters.tables import brp_mutatie as brp_table, client as client_table, client_adres, client_relatie, inzage
from indicatie.adapters.traject_tables import samenwerkingstraject as traject_table
from indicatie.domain.brp import BrpMutatie
from indicatie.domain.client import Adres, Client, ClientStatus, Contact, Geslacht, WettelijkeVertegenwoordiging
from runtime.audit import AuditLog
from runtime.tenancy import Tenant


def _to_domain(row, adressen: Sequence[Adres]) -> Client:  # type: ignore[no-untyped-def]
    vertegenwoordiging = None
    if row.vertegenwoordiging_soort:
        vertegenwoordiging = WettelijkeVertegenwoordiging(
            soort=row.vertegenwoordiging_soort,
            naam=row.vertegenwoordiger_naam,
            contact=Contact(row.vertegenwoordiger_telefoon, row.vertegenwoordiger_emailadres),
        )
    return Client(
        bsn=row.bsn,
        gemeentecode=row.gemeentecode,
        geslachtsnaam=row.geslachtsnaam,
        voorvoegsel=row.voorvoegsel,
        voorletters=row.voorletters,
        geboortedatum=row.geboortedatum,
        geslacht=Geslacht(row.geslacht),
        postcode=row.postcode,
        huisnummer=row.huisnummer,
        status=ClientStatus(row.status),
        datum_gebruik=row.datum_gebruik,
        adressen=tuple(adressen),
        contact=Contact(row.telefoon, row.emailadres),
        wettelijke_vertegenwoordiging=vertegenwoordiging,
    )


def _values(client: Client) -> dict:  # type: ignore[type-arg]
    v = client.wettelijke_vertegenwoordiging
    return {
        "geslachtsnaam": client.geslachtsnaam,
        "voorvoegsel": client.voorvoegsel,
        "voorletters": client.voorletters,
        "geboortedatum": client.geboortedatum,
        "geslacht": client.geslacht.value,
        "postcode": client.postcode,
        "huisnummer": client.huisnummer,
        "status": client.status.value,
        "datum_gebruik": client.datum_gebruik,
        "telefoon": client.contact.telefoon,
        "emailadres": client.contact.emailadres,
        "vertegenwoordiging_soort": v.soort if v else "",
        "vertegenwoordiger_naam": v.naam if v else "",
        "vertegenwoordiger_telefoon": v.contact.telefoon if v else "",
        "vertegenwoordiger_emailadres": v.contact.emailadres if v else "",
    }


def _adres_rows(client: Client) -> list[dict]:  # type: ignore[type-arg]
    return [
        {
            "gemeentecode": client.gemeentecode,
            "bsn": client.bsn,
            "soort": a.soort,
            "straatnaam": a.straatnaam,
            "huisnummer": a.huisnummer,
            "huisletter": a.huisletter,
            "huisnummertoevoeging": a.huisnummertoevoeging,
            "postcode": a.postcode,
            "plaatsnaam": a.plaatsnaam,
            "land": a.land,
        }
        for a in client.adressen
    ]


def _adres(row) -> Adres:  # type: ignore[no-untyped-def]
    return Adres(
        soort=row.soort,
        postcode=row.postcode,
        huisnummer=row.huisnummer,
        huisletter=row.huisletter,
        huisnummertoevoeging=row.huisnummertoevoeging,
        straatnaam=row.straatnaam,
        plaatsnaam=row.plaatsnaam,
        land=row.land,
    )


def zichtbaar(tenant: Tenant) -> ColumnElement[bool]:
    """The cliënten a caller may see: a gemeente-side caller those of its gemeenten; an aanbieder those
    it has a toewijzing for (not deleted) or an open samenwerkingstraject with."""
    if not tenant.is_aanbieder:
        return tenant.clause(client_table.c.gemeentecode)
    c, r, t = client_table.c, client_relatie.c, traject_table.c
    toewijzing = exists().where(r.agb == tenant.agb, r.gemeentecode == c.gemeentecode, r.bsn == c.bsn)
    traject = exists().where(t.aanbieder_agb == tenant.agb, t.gemeentecode == c.gemeentecode, t.bsn == c.bsn, t.status == "lopend")
    return or_(toewijzing, traject)


class ClientRepository:
    def __init__(self, session: AsyncSession):
        self.session = session

    async def add(self, client: Client) -> bool:
        """Stores a new cliënt; False when the gemeente already has one with this BSN."""
        result = await self.session.execute(
            insert(client_table)
            .values(gemeentecode=client.gemeentecode, bsn=client.bsn, **_values(client))
            .on_conflict_do_nothing()
            .returning(client_table.c.bsn)
        )
        if result.first() is None:
            return False
        await self._write_adressen(client)
        return True

    async def update(self, client: Client) -> None:
        await self.session.execute(
            update(client_table)
            .where(client_table.c.gemeentecode == client.gemeentecode, client_table.c.bsn == client.bsn)
            .values(**_values(client), gewijzigd_op=func.now())
        )
        await self.session.execute(
            delete(client_adres).where(client_adres.c.gemeentecode == client.gemeentecode, client_adres.c.bsn == client.bsn)
        )
        await self._write_adressen(client)

    async def _write_adressen(self, client: Client) -> None:
        rows = _adres_rows(client)
        if rows:
            await self.session.execute(sa_insert(client_adres), rows)

    async def get(self, tenant: Tenant, gemeentecode: str, bsn: str, for_update: bool = False) -> Client | None:
        query = select(client_table).where(
            client_table.c.gemeentecode == gemeentecode,
            client_table.c.bsn == bsn,
            zichtbaar(tenant),
        )
        if for_update:
            query = query.with_for_update()  # serialises changes to one cliënt (and its beschikkingen)
        row = (await self.session.execute(query)).first()
        if row is None:
            return None
        return _to_domain(row, (await self._adressen([(gemeentecode, bsn)])).get((gemeentecode, bsn), []))

    async def list(self, tenant: Tenant, after: tuple[str, str] | None, limit: int) -> list[Client]:
        query = select(client_table).where(zichtbaar(tenant))
        if after is not None:
            query = query.where(tuple_(client_table.c.gemeentecode, client_table.c.bsn) > after)
        query = query.order_by(client_table.c.gemeentecode, client_table.c.bsn).limit(limit)
        rows = (await self.session.execute(query)).all()
        adressen = await self._adressen([(r.gemeentecode, r.bsn) for r in rows])
        return [_to_domain(row, adressen.get((row.gemeentecode, row.bsn), [])) for row in rows]

    async def _adressen(self, keys: list[tuple[str, str]]) -> dict[tuple[str, str], list[Adres]]:
        if not keys:
            return {}
        rows = await self.session.execute(
            select(client_adres).where(tuple_(client_adres.c.gemeentecode, client_adres.c.bsn).in_(keys))
        )
        result: dict[tuple[str, str], list[Adres]] = {}
        for row in rows:
            result.setdefault((row.gemeentecode, row.bsn), []).append(_adres(row))
        return result

    async def record_brp_mutatie(self, mutatie: BrpMutatie, door: str) -> bool:
        """Records a BRP-mutatie; False when this gemeente has received this kenmerk before."""
        result = await self.session.execute(
            insert(brp_table)
            .values(
                gemeentecode=mutatie.gemeentecode,
                kenmerk=mutatie.kenmerk,
                bsn=mutatie.bsn,
                soort=mutatie.soort.value,
                datum=mutatie.datum,
                nieuwe_gemeentecode=mutatie.nieuwe_gemeentecode,
                bron=mutatie.bron,
                door=door,
            )
            .on_conflict_do_nothing()
            .returning(brp_table.c.kenmerk)
        )
        return result.first() is not None


def audit_log(session: AsyncSession) -> AuditLog:
    """The indicatie service's audit log of cliënt data (its `inzage` table)."""
    return AuditLog(session, inzage)
