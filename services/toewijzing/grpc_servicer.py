"""The Toewijzing gRPC servicer: protobuf in, handler call, protobuf out."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import grpc
from zorgketen.common.v1 import common_pb2
from zorgketen.toewijzing.v1 import toewijzing_pb2, toewijzing_pb2_grpc

from runtime.domein import Wet
from runtime.errors import DomainError
from runtime.pagination import PageTokenError, decode_token, encode_token, page_size
from runtime.proto_types import datum
from runtime.server import Runtime
from runtime.servicer import rpc
from runtime.tenancy import current_tenant
from toewijzing import handlers
from toewijzing.domain import termijnen
from toewijzing.domain.levering import Start, Stop
from toewijzing.domain.toewijslijst import Aanbiederweergave, Inschrijving, wachttijd
from toewijzing.domain.toewijzing import Omvang, Product, Toewijzing
from toewijzing.domain.verzoek import GevraagdProduct, Verzoek

_WET = {Wet.WMO: common_pb2.WET_WMO, Wet.JEUGDWET: common_pb2.WET_JEUGDWET}


def _wet(value: int) -> Wet:
    for wet, pb in _WET.items():
        if pb == value:
            return wet
    raise DomainError("wet is required")


def _product(p: Product | None) -> common_pb2.Product | None:
    return common_pb2.Product(categorie=p.categorie or "", code=p.code or "") if p else None


def _omvang(o: Omvang | None) -> common_pb2.Omvang | None:
    return common_pb2.Omvang(volume=o.volume, eenheid=o.eenheid, frequentie=o.frequentie) if o else None


def _bedrag(eurocent: int | None) -> common_pb2.Bedrag | None:
    return common_pb2.Bedrag(eurocent=eurocent) if eurocent is not None else None


def toewijzing_to_pb(t: Toewijzing) -> toewijzing_pb2.ToewijzingVersie:
    return toewijzing_pb2.ToewijzingVersie(
        gemeente=common_pb2.Gemeentecode(value=t.gemeentecode),
        wet=_WET[t.wet],
        toewijzing_nummer=t.toewijzing_nummer,
        bsn=common_pb2.Bsn(value=t.bsn),
        aanbieder=common_pb2.AgbCode(value=t.agb),
        product=_product(t.product),
        ingangsdatum=datum(t.ingangsdatum),
        einddatum=datum(t.einddatum),
        omvang=_omvang(t.omvang),
        budget=_bedrag(t.budget),
        uitvoeringsvariant=t.uitvoeringsvariant.value,
        toewijzingsmoment=t.toewijzingsmoment.isoformat(),
        reden_wijziging=t.reden_wijziging or "",
        referentie_aanbieder=t.referentie_aanbieder or "",
        beschikkingnummer=t.beschikkingnummer or "",
        status=t.status.value,
        versie=t.versie,
        verwijderd=t.is_verwijderd,
    )


def inschrijving_to_pb(i: Inschrijving | Aanbiederweergave, nu: Any, toewijzing_nummer: int | None = None) -> toewijzing_pb2.Inschrijving:
    """An entry in full (gemeente) or as an aanbieder without relation sees it: no BSN, no beschikkingnummer."""
    pb = toewijzing_pb2.Inschrijving(
        id=i.id,
        gemeente=common_pb2.Gemeentecode(value=i.gemeentecode),
        wet=_WET[i.wet],
        product=_product(i.product),
        ingangsdatum=datum(i.ingangsdatum),
        einddatum=datum(i.einddatum),
        omvang=_omvang(i.omvang),
        budget=_bedrag(i.budget),
        uitvoeringsvariant=i.uitvoeringsvariant.value,
        wijk=i.wijk or "",
        sinds=i.sinds.isoformat(),
    )
    if isinstance(i, Aanbiederweergave):
        pb.status = "open"
        pb.wachtdagen = i.wachtdagen
        return pb
    pb.bsn.value = i.bsn
    pb.beschikkingnummer = i.beschikkingnummer
    pb.status = i.status.value
    pb.wachtdagen = wachttijd(i, nu).days
    if i.geclaimd_door:
        pb.geclaimd_door.value = i.geclaimd_door
    if toewijzing_nummer:
        pb.toewijzing_nummer = toewijzing_nummer
    return pb


def _gevraagd_to_pb(p: GevraagdProduct) -> toewijzing_pb2.GevraagdProduct:
    return toewijzing_pb2.GevraagdProduct(
        soort=p.soort.value,
        toewijzing_nummer=p.toewijzing_nummer or 0,
        product=_product(p.product),
        ingangsdatum=datum(p.ingangsdatum),
        einddatum=datum(p.einddatum),
        omvang=_omvang(p.omvang),
        budget=_bedrag(p.budget),
        beschikkingnummer=p.beschikkingnummer or "",
    )


def verzoek_to_pb(v: Verzoek) -> toewijzing_pb2.Verzoek:
    return toewijzing_pb2.Verzoek(
        id=v.id,
        soort=v.soort,
        gemeente=common_pb2.Gemeentecode(value=v.gemeentecode),
        wet=_WET[v.wet],
        aanbieder=common_pb2.AgbCode(value=v.agb),
        bsn=common_pb2.Bsn(value=v.bsn),
        referentie_aanbieder=v.referentie_aanbieder,
        reden_verzoek=v.reden_verzoek or "",
        status=v.status.value,
        ontvangen_op=datum(v.ontvangen_op),
        bericht_id=v.bericht_id,
        producten=[_gevraagd_to_pb(p) for p in v.producten],
        in_onderzoek_sinds=datum(v.in_onderzoek_sinds),
        beantwoord_op=datum(v.beantwoord_op),
        reden_afwijzing=v.reden_afwijzing or "",
        antwoord_uiterlijk=datum(termijnen.antwoord_uiterlijk(v)),
    )


def levering_to_pb(item: Start | Stop) -> toewijzing_pb2.Levering:
    pb = toewijzing_pb2.Levering(
        soort="stop" if isinstance(item, Stop) else "start",
        gemeente=common_pb2.Gemeentecode(value=item.gemeentecode),
        aanbieder=common_pb2.AgbCode(value=item.agb),
        bsn=common_pb2.Bsn(value=item.bsn),
        toewijzing_nummer=item.toewijzing_nummer or 0,
        product=_product(item.product),
        begindatum=datum(item.begindatum),
        ontvangen_op=datum(item.ontvangen_op),
        bericht_id=item.bericht_id,
        verwijderd=item.verwijderd,
    )
    if isinstance(item, Stop):
        pb.einddatum.CopyFrom(datum(item.einddatum))
        pb.reden_beeindiging = item.reden_beeindiging
    return pb


def signaal_to_pb(s: termijnen.Signaal) -> toewijzing_pb2.Signaal:
    return toewijzing_pb2.Signaal(
        soort=s.soort.value,
        voor=s.partij.value,
        gemeente=common_pb2.Gemeentecode(value=s.gemeentecode),
        aanbieder=common_pb2.AgbCode(value=s.agb),
        bsn=common_pb2.Bsn(value=s.bsn),
        uiterlijk=datum(s.uiterlijk),
        status=s.status.value,
        omschrijving=s.omschrijving,
        kenmerk=str(s.toewijzing_nummer) if s.toewijzing_nummer else (s.verzoek_id or ""),
    )


class ToewijzingServicer(toewijzing_pb2_grpc.ToewijzingServicer):
    def __init__(self, runtime: Runtime):
        self.runtime = runtime

    @property
    def dienst(self) -> handlers.Dienst:
        from toewijzing.service import dienst

        return dienst(self.runtime)

    @rpc
    async def ListToewijzingen(self, request: toewijzing_pb2.ListToewijzingenRequest, context: grpc.aio.ServicerContext) -> toewijzing_pb2.ListToewijzingenResponse:
        limit = page_size(request.page.page_size)
        raw = decode_token(request.page.page_token, 3) if request.page.page_token else None
        after = (str(raw[0]), str(raw[1]), int(raw[2])) if raw else None
        async with self.runtime.unit_of_work() as uow:
            page = await handlers.list_toewijzingen(uow, current_tenant(), request.bsn.value or None, request.status or None, after, limit, request.gemeente.value or None)
        token = page.token(lambda t: [t.gemeentecode, t.wet.value, str(t.toewijzing_nummer)])
        return toewijzing_pb2.ListToewijzingenResponse(toewijzingen=[toewijzing_to_pb(t) for t in page.rows], next_page_token=token)

    @rpc
    async def GetToewijzing(self, request: toewijzing_pb2.GetToewijzingRequest, context: grpc.aio.ServicerContext) -> toewijzing_pb2.ToewijzingHistorie:
        async with self.runtime.unit_of_work() as uow:
            versies = await handlers.historie(uow, current_tenant(), request.gemeente.value, _wet(request.wet), request.toewijzing_nummer)
        return toewijzing_pb2.ToewijzingHistorie(versies=[toewijzing_to_pb(t) for t in versies])

    @rpc
    async def ListToewijzingberichten(
        self, request: toewijzing_pb2.ListToewijzingberichtenRequest, context: grpc.aio.ServicerContext
    ) -> toewijzing_pb2.ListToewijzingberichtenResponse:
        limit = page_size(request.page.page_size)
        raw = decode_token(request.page.page_token, 2) if request.page.page_token else None
        async with self.runtime.unit_of_work() as uow:
            page = await handlers.list_toewijzingberichten(
                uow, current_tenant(), request.status or None, (str(raw[0]), str(raw[1])) if raw else None, limit, request.bsn.value or None
            )
        token = page.token(lambda r: [r.aangemaakt_op.isoformat(), r.id])
        return toewijzing_pb2.ListToewijzingberichtenResponse(
            berichten=[
                toewijzing_pb2.Toewijzingbericht(
                    id=r.id,
                    bericht_id=r.bericht_id or "",
                    gemeente=common_pb2.Gemeentecode(value=r.gemeentecode),
                    aanbieder=common_pb2.AgbCode(value=r.agb),
                    bsn=common_pb2.Bsn(value=r.bsn),
                    berichtsoort=r.berichtsoort,
                    identificatie=r.identificatie,
                    status=r.status,
                    retour_codes=list(r.retour_codes),
                    aangemaakt_op=r.aangemaakt_op.isoformat(),
                )
                for r in page.rows
            ],
            next_page_token=token,
        )

    @rpc
    async def ListToewijslijst(self, request: toewijzing_pb2.ListToewijslijstRequest, context: grpc.aio.ServicerContext) -> toewijzing_pb2.ListToewijslijstResponse:
        dienst = self.dienst
        after = _toewijslijst_sleutel(request.page.page_token)
        async with self.runtime.unit_of_work() as uow:
            entries, volgende = await handlers.list_toewijslijst(uow, current_tenant(), dienst, request.status or None, page_size(request.page.page_size), after)
        result = []
        for entry in entries:
            if isinstance(entry, tuple):
                result.append(inschrijving_to_pb(entry[0], dienst.nu(), entry[1]))
            else:
                result.append(inschrijving_to_pb(entry, dienst.nu()))
        token = encode_token([volgende[0].isoformat(), volgende[1]]) if volgende else ""
        return toewijzing_pb2.ListToewijslijstResponse(inschrijvingen=result, next_page_token=token)

    @rpc
    async def ClaimInschrijving(self, request: toewijzing_pb2.InschrijvingRequest, context: grpc.aio.ServicerContext) -> toewijzing_pb2.Inschrijving:
        dienst = self.dienst
        async with self.runtime.unit_of_work() as uow:
            geclaimd = await handlers.claim(uow, current_tenant(), dienst, request.id)
        shown = inschrijving_to_pb(geclaimd, dienst.nu())
        shown.ClearField("bsn")  # the claim is made; the relation starts with the gemeente's confirmation
        shown.beschikkingnummer = ""
        return shown

    @rpc
    async def BevestigClaim(self, request: toewijzing_pb2.InschrijvingRequest, context: grpc.aio.ServicerContext) -> toewijzing_pb2.Inschrijving:
        dienst = self.dienst
        async with self.runtime.unit_of_work() as uow:
            bevestigd, nummer = await handlers.bevestig_claim(uow, current_tenant(), dienst, request.id)
        return inschrijving_to_pb(bevestigd, dienst.nu(), nummer)

    @rpc
    async def WijsClaimAf(self, request: toewijzing_pb2.InschrijvingRequest, context: grpc.aio.ServicerContext) -> toewijzing_pb2.Inschrijving:
        dienst = self.dienst
        async with self.runtime.unit_of_work() as uow:
            return inschrijving_to_pb(await handlers.wijs_claim_af(uow, current_tenant(), dienst, request.id), dienst.nu())

    @rpc
    async def ListVerzoeken(self, request: toewijzing_pb2.ListVerzoekenRequest, context: grpc.aio.ServicerContext) -> toewijzing_pb2.ListVerzoekenResponse:
        limit = page_size(request.page.page_size)
        raw = decode_token(request.page.page_token, 2) if request.page.page_token else None
        async with self.runtime.unit_of_work() as uow:
            page = await handlers.list_verzoeken(uow, current_tenant(), request.status or None, (str(raw[0]), str(raw[1])) if raw else None, limit)
        token = page.token(lambda v: [v.ontvangen_op.isoformat(), v.id])
        return toewijzing_pb2.ListVerzoekenResponse(verzoeken=[verzoek_to_pb(v) for v in page.rows], next_page_token=token)

    @rpc
    async def HonoreerVerzoek(self, request: toewijzing_pb2.VerzoekRequest, context: grpc.aio.ServicerContext) -> toewijzing_pb2.Verzoek:
        async with self.runtime.unit_of_work() as uow:
            return verzoek_to_pb(await handlers.honoreer_verzoek(uow, current_tenant(), self.dienst, request.id))

    @rpc
    async def WijsVerzoekAf(self, request: toewijzing_pb2.WijsVerzoekAfRequest, context: grpc.aio.ServicerContext) -> toewijzing_pb2.Verzoek:
        if not request.reden_afwijzing:
            raise DomainError("a refusal needs its RedenAfwijzingVerzoek")
        async with self.runtime.unit_of_work() as uow:
            v = await handlers.wijs_verzoek_af(uow, current_tenant(), self.dienst, request.id, request.reden_afwijzing, request.woonplaatsbeginsel.value or None)
        return verzoek_to_pb(v)

    @rpc
    async def ZetVerzoekInOnderzoek(self, request: toewijzing_pb2.VerzoekRequest, context: grpc.aio.ServicerContext) -> toewijzing_pb2.Verzoek:
        async with self.runtime.unit_of_work() as uow:
            return verzoek_to_pb(await handlers.zet_verzoek_in_onderzoek(uow, current_tenant(), self.dienst, request.id))

    @rpc
    async def ListLeveringen(self, request: toewijzing_pb2.ListLeveringenRequest, context: grpc.aio.ServicerContext) -> toewijzing_pb2.ListLeveringenResponse:
        if not request.bsn.value:
            raise DomainError("bsn is required")
        async with self.runtime.unit_of_work() as uow:
            items = await handlers.list_leveringen(uow, current_tenant(), request.bsn.value)
        return toewijzing_pb2.ListLeveringenResponse(leveringen=[levering_to_pb(i) for i in items])

    @rpc
    async def ListSignalen(self, request: toewijzing_pb2.ListSignalenRequest, context: grpc.aio.ServicerContext) -> toewijzing_pb2.ListSignalenResponse:
        async with self.runtime.unit_of_work() as uow:
            found = await handlers.signalen(uow, current_tenant(), self.dienst)
        return toewijzing_pb2.ListSignalenResponse(signalen=[signaal_to_pb(s) for s in found])


def _toewijslijst_sleutel(token: str) -> tuple[datetime, str] | None:
    key = decode_token(token, 2)
    if key is None:
        return None
    try:
        return datetime.fromisoformat(key[0]), key[1]
    except ValueError:
        raise PageTokenError("page_token is not a token this service issued") from None


def add_servicers(server: grpc.aio.Server, runtime: Runtime) -> None:
    toewijzing_pb2_grpc.add_ToewijzingServicer_to_server(ToewijzingServicer(runtime), server)
