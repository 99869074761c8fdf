"""The Indicatie gRPC servicer (cliënten, BRP-mutaties, beschikkingen): protobuf in, handler call, protobuf out."""

from __future__ import annotations

from datetime import date

import grpc
from zorgketen.common.v1 import common_pb2
from zorgketen.indicatie.v1 import indicatie_pb2, indicatie_pb2_grpc

from berichten.adapters.codelijsten import load_codelijsten
from indicatie import handlers
from indicatie.adapters.brief import beschikking_pdf
from indicatie.adapters.herindicatie import load_eigen_verantwoordelijkheid
from indicatie.domain.beschikking import (
    Beschikking,
    BeschikkingMutatie,
    BeschikkingStatus,
    BeschiktProduct,
    Omvang,
    Reden,
    Uitvoeringsvariant,
    Wet,
)
from indicatie.domain.brp import BrpMutatie, BrpMutatieSoort
from indicatie.domain.client import NEDERLAND, Adres, Client, ClientStatus, Contact, Geslacht, WettelijkeVertegenwoordiging
from runtime.errors import DomainError, NotFound, PermissionDenied
from runtime.pagination import decode_token, page_size
from runtime.proto_types import datum, optional_date, to_date
from runtime.server import Runtime
from runtime.servicer import rpc
from runtime.tenancy import current_tenant

SERVICE_NAME = indicatie_pb2.DESCRIPTOR.services_by_name["Indicatie"].full_name

_STATUS = {
    ClientStatus.ACTIEF: indicatie_pb2.CLIENT_STATUS_ACTIEF,
    ClientStatus.VERHUISD: indicatie_pb2.CLIENT_STATUS_VERHUISD,
    ClientStatus.OVERLEDEN: indicatie_pb2.CLIENT_STATUS_OVERLEDEN,
}
_STATUS_FROM_PB = {v: k for k, v in _STATUS.items()}
_VARIANT = {
    Uitvoeringsvariant.INSPANNINGSGERICHT: indicatie_pb2.UITVOERINGSVARIANT_INSPANNINGSGERICHT,
    Uitvoeringsvariant.OUTPUTGERICHT: indicatie_pb2.UITVOERINGSVARIANT_OUTPUTGERICHT,
    Uitvoeringsvariant.TAAKGERICHT: indicatie_pb2.UITVOERINGSVARIANT_TAAKGERICHT,
}
_VARIANT_FROM_PB = {v: k for k, v in _VARIANT.items()}
_WET = {Wet.WMO: common_pb2.WET_WMO, Wet.JEUGDWET: common_pb2.WET_JEUGDWET}
_WET_FROM_PB = {v: k for k, v in _WET.items()}
_BESCHIKKING_STATUS = {
    BeschikkingStatus.AFGEGEVEN: indicatie_pb2.BESCHIKKING_STATUS_AFGEGEVEN,
    BeschikkingStatus.GEWIJZIGD: indicatie_pb2.BESCHIKKING_STATUS_GEWIJZIGD,
    BeschikkingStatus.INGETROKKEN: indicatie_pb2.BESCHIKKING_STATUS_INGETROKKEN,
}
_BRP_SOORT = {
    indicatie_pb2.BRP_MUTATIE_SOORT_OVERLIJDEN: BrpMutatieSoort.OVERLIJDEN,
    indicatie_pb2.BRP_MUTATIE_SOORT_VERHUIZING: BrpMutatieSoort.VERHUIZING,
}


# ---- cliënt -----------------------------------------------------------------------------------


def adres_from_pb(pb: indicatie_pb2.Adres) -> Adres:
    return Adres(
        soort=pb.soort,
        straatnaam=pb.straatnaam,
        huisnummer=pb.huisnummer if (pb.huisnummer or pb.straatnaam or pb.postcode) else None,
        huisletter=pb.huisletter,
        huisnummertoevoeging=pb.huisnummertoevoeging,
        postcode=pb.postcode,
        plaatsnaam=pb.plaatsnaam,
        land=pb.land or NEDERLAND,
    )


def adres_to_pb(adres: Adres) -> indicatie_pb2.Adres:
    return indicatie_pb2.Adres(
        soort=adres.soort,
        straatnaam=adres.straatnaam,
        huisnummer=adres.huisnummer or 0,
        huisletter=adres.huisletter,
        huisnummertoevoeging=adres.huisnummertoevoeging,
        postcode=adres.postcode,
        plaatsnaam=adres.plaatsnaam,
        land=adres.land,
    )


def client_from_pb(pb: indicatie_pb2.Client) -> Client:
    try:
        geslacht = Geslacht(pb.geslacht or "0")
    except ValueError:
        raise DomainError(f"geslacht {pb.geslacht!r} is not a COD046 code (0, 1, 2)") from None
    vertegenwoordiging = None
    if pb.HasField("wettelijke_vertegenwoordiging"):
        v = pb.wettelijke_vertegenwoordiging
        vertegenwoordiging = WettelijkeVertegenwoordiging(v.soort, v.naam, Contact(v.contact.telefoon, v.contact.emailadres))
    adressen = tuple(adres_from_pb(a) for a in pb.adressen)
    return Client(
        bsn=pb.bsn.value,
        gemeentecode=pb.gemeente.value,
        geslachtsnaam=pb.geslachtsnaam,
        voorvoegsel=pb.voorvoegsel,
        voorletters=pb.voorletters,
        geboortedatum=to_date(pb.geboortedatum, "geboortedatum"),
        geslacht=geslacht,
        postcode="" if adressen else pb.postcode.replace(" ", "").upper(),
        huisnummer="" if adressen else pb.huisnummer,
        status=_STATUS_FROM_PB.get(pb.status, ClientStatus.ACTIEF),
        datum_gebruik=pb.datum_gebruik,
        adressen=adressen,
        contact=Contact(pb.contact.telefoon, pb.contact.emailadres),
        wettelijke_vertegenwoordiging=vertegenwoordiging,
    )


def client_to_pb(client: Client) -> indicatie_pb2.Client:
    pb = indicatie_pb2.Client(
        bsn=common_pb2.Bsn(value=client.bsn),
        gemeente=common_pb2.Gemeentecode(value=client.gemeentecode),
        geslachtsnaam=client.geslachtsnaam,
        voorvoegsel=client.voorvoegsel,
        voorletters=client.voorletters,
        geboortedatum=datum(client.geboortedatum),
        geslacht=client.geslacht.value,
        postcode=client.postcode,
        huisnummer=client.huisnummer,
        status=_STATUS[client.status],
        datum_gebruik=client.datum_gebruik,
        adressen=[adres_to_pb(a) for a in client.adressen],
        contact=indicatie_pb2.Contact(telefoon=client.contact.telefoon, emailadres=client.contact.emailadres),
    )
    v = client.wettelijke_vertegenwoordiging
    if v is not None:
        pb.wettelijke_vertegenwoordiging.CopyFrom(
            indicatie_pb2.WettelijkeVertegenwoordiging(
                soort=v.soort, naam=v.naam, contact=indicatie_pb2.Contact(telefoon=v.contact.telefoon, emailadres=v.contact.emailadres)
            )
        )
    return pb


def brp_mutatie_from_pb(pb: indicatie_pb2.BrpMutatie, bron: str) -> BrpMutatie:
    if pb.soort not in _BRP_SOORT:
        raise DomainError("a BRP-mutatie needs its soort (overlijden or verhuizing)")
    return BrpMutatie(
        bsn=pb.bsn.value,
        gemeentecode=pb.gemeente.value,
        soort=_BRP_SOORT[pb.soort],
        datum=to_date(pb.datum, "datum"),
        kenmerk=pb.kenmerk,
        nieuwe_gemeentecode=pb.nieuwe_gemeente.value,
        nieuw_adres=adres_from_pb(pb.nieuw_adres) if pb.HasField("nieuw_adres") else None,
        bron=bron,
    )


# ---- beschikking ------------------------------------------------------------------------------


def product_from_pb(pb: indicatie_pb2.BeschiktProduct) -> BeschiktProduct:
    if pb.uitvoeringsvariant not in _VARIANT_FROM_PB:
        raise DomainError("a product needs its uitvoeringsvariant (inspanningsgericht, outputgericht or taakgericht)")
    omvang = None
    if pb.HasField("omvang"):
        omvang = Omvang(pb.omvang.volume, pb.omvang.eenheid, pb.omvang.frequentie)
    return BeschiktProduct(
        categorie=pb.product.categorie,
        code=pb.product.code,
        ingangsdatum=to_date(pb.ingangsdatum, "ingangsdatum"),
        einddatum=optional_date(pb.einddatum, "einddatum"),
        uitvoeringsvariant=_VARIANT_FROM_PB[pb.uitvoeringsvariant],
        omvang=omvang,
        budget_eurocent=pb.budget.eurocent if pb.HasField("budget") else None,
        agb=pb.aanbieder.value or None,
    )


def product_to_pb(p: BeschiktProduct) -> indicatie_pb2.BeschiktProduct:
    pb = indicatie_pb2.BeschiktProduct(
        product=common_pb2.Product(categorie=p.categorie, code=p.code),
        ingangsdatum=datum(p.ingangsdatum),
        einddatum=datum(p.einddatum),
        uitvoeringsvariant=_VARIANT[p.uitvoeringsvariant],
        aanbieder=common_pb2.AgbCode(value=p.agb) if p.agb else None,
    )
    if p.omvang is not None:
        pb.omvang.CopyFrom(common_pb2.Omvang(volume=p.omvang.volume, eenheid=p.omvang.eenheid, frequentie=p.omvang.frequentie))
    if p.budget_eurocent is not None:
        pb.budget.CopyFrom(common_pb2.Bedrag(eurocent=p.budget_eurocent))
    return pb


def reden_from_pb(pb: indicatie_pb2.Reden) -> Reden:
    return Reden(code=pb.code, toelichting=pb.toelichting)


def beschikking_to_pb(b: Beschikking, historie: list[BeschikkingMutatie] | None = None) -> indicatie_pb2.Beschikking:
    pb = indicatie_pb2.Beschikking(
        beschikkingnummer=b.beschikkingnummer,
        bsn=common_pb2.Bsn(value=b.bsn),
        gemeente=common_pb2.Gemeentecode(value=b.gemeentecode),
        wet=_WET[b.wet],
        beschikkingsdatum=datum(b.beschikkingsdatum),
        producten=[product_to_pb(p) for p in b.producten],
        status=_BESCHIKKING_STATUS[b.status],
        versie=b.versie,
        ingetrokken_per=datum(b.ingetrokken_per),
        historie=[
            indicatie_pb2.BeschikkingMutatie(
                versie=m.versie,
                status=_BESCHIKKING_STATUS[m.status],
                door=m.door,
                **({"reden": indicatie_pb2.Reden(code=m.reden.code, toelichting=m.reden.toelichting)} if m.reden else {}),
            )
            for m in historie or []
        ],
    )
    if b.reden is not None:
        pb.reden.CopyFrom(indicatie_pb2.Reden(code=b.reden.code, toelichting=b.reden.toelichting))
    return pb


def _page_after(token: str) -> tuple[str, str] | None:
    after = decode_token(token, 2)
    return (after[0], after[1]) if after else None


class IndicatieServicer(indicatie_pb2_grpc.IndicatieServicer):
    def __init__(self, runtime: Runtime):
        self.runtime = runtime
        self.codelijsten = load_codelijsten()
        self.eigen_verantwoordelijkheid = load_eigen_verantwoordelijkheid()

    @rpc
    async def RegistreerClient(self, request: indicatie_pb2.RegistreerClientRequest, context: grpc.aio.ServicerContext) -> indicatie_pb2.Client:
        client = client_from_pb(request.client)
        async with self.runtime.unit_of_work() as uow:
            return client_to_pb(await handlers.registreer_client(uow, current_tenant(), client, self.codelijsten))

    @rpc
    async def WijzigClient(self, request: indicatie_pb2.WijzigClientRequest, context: grpc.aio.ServicerContext) -> indicatie_pb2.Client:
        client = client_from_pb(request.client)
        async with self.runtime.unit_of_work() as uow:
            return client_to_pb(await handlers.wijzig_client(uow, current_tenant(), client, self.codelijsten))

    @rpc
    async def GetClient(self, request: indicatie_pb2.GetClientRequest, context: grpc.aio.ServicerContext) -> indicatie_pb2.Client:
        async with self.runtime.unit_of_work() as uow:
            return client_to_pb(await handlers.get_client(uow, current_tenant(), request.gemeente.value, request.bsn.value))

    @rpc
    async def ListClienten(self, request: indicatie_pb2.ListClientenRequest, context: grpc.aio.ServicerContext) -> indicatie_pb2.ListClientenResponse:
        limit = page_size(request.page.page_size)
        after = _page_after(request.page.page_token)
        async with self.runtime.unit_of_work() as uow:
            page = await handlers.list_clienten(uow, current_tenant(), after, limit)
        token = page.token(lambda c: [c.gemeentecode, c.bsn])
        return indicatie_pb2.ListClientenResponse(clienten=[client_to_pb(c) for c in page.rows], next_page_token=token)

    @rpc
    async def VerwerkBrpMutatie(self, request: indicatie_pb2.VerwerkBrpMutatieRequest, context: grpc.aio.ServicerContext) -> indicatie_pb2.VerwerkBrpMutatieResponse:
        mutatie = brp_mutatie_from_pb(request.mutatie, "koppeling")
        async with self.runtime.unit_of_work() as uow:
            client, verwerkt = await handlers.verwerk_brp_mutatie(uow, current_tenant(), mutatie, "VerwerkBrpMutatie")
        return indicatie_pb2.VerwerkBrpMutatieResponse(client=client_to_pb(client), verwerkt=verwerkt)

    @rpc
    async def VerwerkBrpMutaties(self, request: indicatie_pb2.VerwerkBrpMutatiesRequest, context: grpc.aio.ServicerContext) -> indicatie_pb2.VerwerkBrpMutatiesResponse:
        resultaten = []
        for pb in request.mutaties:
            resultaat = indicatie_pb2.VerwerkBrpMutatiesResponse.Resultaat(kenmerk=pb.kenmerk)
            try:
                mutatie = brp_mutatie_from_pb(pb, "import")
                async with self.runtime.unit_of_work() as uow:
                    _, verwerkt = await handlers.verwerk_brp_mutatie(uow, current_tenant(), mutatie, "VerwerkBrpMutaties")
                resultaat.uitkomst = "verwerkt" if verwerkt else "al verwerkt"
            except (DomainError, NotFound, PermissionDenied) as exc:
                resultaat.uitkomst, resultaat.reden = "geweigerd", str(exc)
            resultaten.append(resultaat)
        return indicatie_pb2.VerwerkBrpMutatiesResponse(resultaten=resultaten)

    @rpc
    async def GeefBeschikkingAf(self, request: indicatie_pb2.GeefBeschikkingAfRequest, context: grpc.aio.ServicerContext) -> indicatie_pb2.Beschikking:
        pb = request.beschikking
        if pb.wet not in _WET_FROM_PB:
            raise DomainError("a beschikking needs its wet (Wmo or Jeugdwet)")
        producten = tuple(product_from_pb(p) for p in pb.producten)
        async with self.runtime.unit_of_work() as uow:
            nummer = pb.beschikkingnummer or await handlers.nieuw_beschikkingnummer(uow)
            beschikking = Beschikking(
                beschikkingnummer=nummer,
                bsn=pb.bsn.value,
                gemeentecode=pb.gemeente.value,
                wet=_WET_FROM_PB[pb.wet],
                beschikkingsdatum=optional_date(pb.beschikkingsdatum, "beschikkingsdatum") or date.today(),
                producten=producten,
            )
            result = await handlers.geef_beschikking_af(uow, current_tenant(), beschikking, self.codelijsten, self.eigen_verantwoordelijkheid)
        return beschikking_to_pb(result)

    @rpc
    async def WijzigBeschikking(self, request: indicatie_pb2.WijzigBeschikkingRequest, context: grpc.aio.ServicerContext) -> indicatie_pb2.Beschikking:
        producten = [product_from_pb(p) for p in request.producten]
        async with self.runtime.unit_of_work() as uow:
            result = await handlers.wijzig_beschikking(
                uow,
                current_tenant(),
                request.gemeente.value,
                request.beschikkingnummer,
                producten,
                reden_from_pb(request.reden),
                request.versie,
                self.codelijsten,
                self.eigen_verantwoordelijkheid,
            )
        return beschikking_to_pb(result)

    @rpc
    async def TrekBeschikkingIn(self, request: indicatie_pb2.TrekBeschikkingInRequest, context: grpc.aio.ServicerContext) -> indicatie_pb2.Beschikking:
        per = optional_date(request.per, "per")
        async with self.runtime.unit_of_work() as uow:
            result = await handlers.trek_beschikking_in(
                uow, current_tenant(), request.gemeente.value, request.beschikkingnummer, reden_from_pb(request.reden), per, request.versie, self.codelijsten
            )
        return beschikking_to_pb(result)

    @rpc
    async def GetBeschikking(self, request: indicatie_pb2.GetBeschikkingRequest, context: grpc.aio.ServicerContext) -> indicatie_pb2.Beschikking:
        async with self.runtime.unit_of_work() as uow:
            beschikking, historie = await handlers.get_beschikking(uow, current_tenant(), request.gemeente.value, request.beschikkingnummer)
        return beschikking_to_pb(beschikking, historie)

    @rpc
    async def ListBeschikkingen(self, request: indicatie_pb2.ListBeschikkingenRequest, context: grpc.aio.ServicerContext) -> indicatie_pb2.ListBeschikkingenResponse:
        if bool(request.gemeente.value) != bool(request.bsn.value):
            raise DomainError("to list one cliënt's beschikkingen give both gemeente and bsn")
        limit = page_size(request.page.page_size)
        after = _page_after(request.page.page_token)
        async with self.runtime.unit_of_work() as uow:
            page = await handlers.list_beschikkingen(uow, current_tenant(), after, limit, request.gemeente.value, request.bsn.value)
        token = page.token(lambda b: [b.gemeentecode, b.beschikkingnummer])
        return indicatie_pb2.ListBeschikkingenResponse(beschikkingen=[beschikking_to_pb(b) for b in page.rows], next_page_token=token)

    @rpc
    async def GetBeschikkingBrief(self, request: indicatie_pb2.GetBeschikkingRequest, context: grpc.aio.ServicerContext) -> indicatie_pb2.BeschikkingBrief:
        async with self.runtime.unit_of_work() as uow:
            beschikking, client = await handlers.beschikking_brief(uow, current_tenant(), request.gemeente.value, request.beschikkingnummer)
        return indicatie_pb2.BeschikkingBrief(
            pdf=beschikking_pdf(beschikking, client, self.codelijsten),
            bestandsnaam=f"beschikking-{beschikking.gemeentecode}-{beschikking.beschikkingnummer}-v{beschikking.versie}.pdf",
        )


def add_servicers(server: grpc.aio.Server, runtime: Runtime) -> None:
    indicatie_pb2_grpc.add_IndicatieServicer_to_server(IndicatieServicer(runtime), server)
