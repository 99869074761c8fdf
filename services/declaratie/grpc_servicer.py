"""The Declaratie gRPC servicer: protobuf in, handler call, protobuf out."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import grpc
from zorgketen.common.v1 import common_pb2
from zorgketen.declaratie.v1 import declaratie_pb2, declaratie_pb2_grpc

from declaratie import handlers
from declaratie.domain import betaalbestand
from declaratie.domain.afrekening import Afrekening, Voorschot
from declaratie.domain.betaalbestand import Rekeninghouder
from declaratie.domain.contract import Contract, Uitvoeringsvariant, Wet
from declaratie.domain.instellingen import ONDERBENUTTING_DREMPEL_DAGEN, GemeenteInstellingen
from declaratie.domain.periode import Periode, PeriodeRitme, Ritme
from declaratie.domain.toewijzingstand import ToewijzingKopie
from runtime.errors import DomainError
from runtime.pagination import PageTokenError, decode_token, encode_token, page_size
from runtime.proto_types import datum, optional_date, to_date
from runtime.server import Runtime
from runtime.servicer import rpc
from runtime.tenancy import current_tenant

_WET = {Wet.WMO: common_pb2.WET_WMO, Wet.JEUGDWET: common_pb2.WET_JEUGDWET}
_VARIANT = {
    Uitvoeringsvariant.INSPANNINGSGERICHT: declaratie_pb2.UITVOERINGSVARIANT_INSPANNINGSGERICHT,
    Uitvoeringsvariant.OUTPUTGERICHT: declaratie_pb2.UITVOERINGSVARIANT_OUTPUTGERICHT,
    Uitvoeringsvariant.TAAKGERICHT: declaratie_pb2.UITVOERINGSVARIANT_TAAKGERICHT,
}


def _lookup(table: dict, value: int, what: str):  # type: ignore[no-untyped-def]
    for domain_value, pb_value in table.items():
        if pb_value == value:
            return domain_value
    raise DomainError(f"{what} is required")


def contract_from_pb(pb: declaratie_pb2.Contract) -> Contract:
    return Contract(
        gemeentecode=pb.gemeente.value,
        agb=pb.aanbieder.value,
        wet=_lookup(_WET, pb.wet, "wet"),
        productcategorie=pb.product.categorie,
        productcode=pb.product.code,
        uitvoeringsvariant=_lookup(_VARIANT, pb.uitvoeringsvariant, "uitvoeringsvariant"),
        tarief_eurocent=pb.tarief.eurocent,
        eenheid=pb.eenheid,
        begindatum=to_date(pb.geldigheid.begindatum, "begindatum"),
        einddatum=optional_date(pb.geldigheid.einddatum, "einddatum"),
        start_stop_verplicht=pb.start_stop_verplicht,
        toewijslijst_automatisch=pb.toewijslijst_automatisch,
        voorschot_per_periode_eurocent=pb.voorschot_per_periode_eurocent if pb.HasField("voorschot_per_periode_eurocent") else None,
    )


def contract_to_pb(contract: Contract) -> declaratie_pb2.Contract:
    return declaratie_pb2.Contract(
        id=contract.id,
        gemeente=common_pb2.Gemeentecode(value=contract.gemeentecode),
        aanbieder=common_pb2.AgbCode(value=contract.agb),
        wet=_WET[contract.wet],
        product=common_pb2.Product(categorie=contract.productcategorie, code=contract.productcode),
        uitvoeringsvariant=_VARIANT[contract.uitvoeringsvariant],
        tarief=common_pb2.Bedrag(eurocent=contract.tarief_eurocent),
        eenheid=contract.eenheid,
        geldigheid=common_pb2.Periode(begindatum=datum(contract.begindatum), einddatum=datum(contract.einddatum)),
        start_stop_verplicht=contract.start_stop_verplicht,
        toewijslijst_automatisch=contract.toewijslijst_automatisch,
        voorschot_per_periode_eurocent=contract.voorschot_per_periode_eurocent,
    )


class DeclaratieServicer(declaratie_pb2_grpc.DeclaratieServicer):
    def __init__(self, runtime: Runtime):
        self.runtime = runtime

    @rpc
    async def RegistreerContract(self, request: declaratie_pb2.RegistreerContractRequest, context: grpc.aio.ServicerContext) -> declaratie_pb2.Contract:
        contract = contract_from_pb(request.contract)
        async with self.runtime.unit_of_work() as uow:
            return contract_to_pb(await handlers.registreer_contract(uow, current_tenant(), contract))

    @rpc
    async def ListContracten(self, request: declaratie_pb2.ListContractenRequest, context: grpc.aio.ServicerContext) -> declaratie_pb2.ListContractenResponse:
        limit = page_size(request.page.page_size)
        after = decode_token(request.page.page_token, 1)
        async with self.runtime.unit_of_work() as uow:
            page = await handlers.list_contracten(uow, current_tenant(), after[0] if after else None, limit)
        return declaratie_pb2.ListContractenResponse(contracten=[contract_to_pb(c) for c in page.rows], next_page_token=page.token(lambda c: [c.id]))


    @rpc
    async def ListDeclaraties(self, request: declaratie_pb2.ListDeclaratiesRequest, context: grpc.aio.ServicerContext) -> declaratie_pb2.ListDeclaratiesResponse:
        limit = page_size(request.page.page_size)
        raw = decode_token(request.page.page_token, 2)
        after = (datetime.fromisoformat(raw[0]), raw[1]) if raw else None
        async with self.runtime.unit_of_work() as uow:
            page = await handlers.list_declaraties(uow, current_tenant(), after, limit)  # type: ignore[arg-type]
        token = page.token(lambda r: [r.beoordeeld_op.isoformat(), r.bericht_id])
        return declaratie_pb2.ListDeclaratiesResponse(declaraties=[_overzicht(r) for r in page.rows], next_page_token=token)

    @rpc
    async def ListPrestatiesVanClient(
        self, request: declaratie_pb2.ListPrestatiesVanClientRequest, context: grpc.aio.ServicerContext
    ) -> declaratie_pb2.ListPrestatiesVanClientResponse:
        if not request.gemeente.value or not request.bsn.value:
            raise DomainError("gemeente and bsn are required: the prestaties of one cliënt")
        limit = page_size(request.page.page_size)
        raw = decode_token(request.page.page_token, 2)
        after = (_datum_uit_token(raw[0]), _getal(raw[1])) if raw else None
        async with self.runtime.unit_of_work() as uow:
            page = await handlers.prestaties_van_client(uow, current_tenant(), request.gemeente.value, request.bsn.value, after, limit)
        token = page.token(lambda r: [r.begindatum.isoformat(), str(r.id)])
        return declaratie_pb2.ListPrestatiesVanClientResponse(
            prestaties=[
                declaratie_pb2.PrestatieVanClient(
                    bericht_id=r.bericht_id, aanbieder=common_pb2.AgbCode(value=r.agb), declaratie_nummer=r.declaratie_nummer, prestatie=_prestatie_pb(r)
                )
                for r in page.rows
            ],
            next_page_token=token,
        )

    @rpc
    async def GetDeclaratie(self, request: declaratie_pb2.GetDeclaratieRequest, context: grpc.aio.ServicerContext) -> declaratie_pb2.DeclaratieDetail:
        async with self.runtime.unit_of_work() as uow:
            row, prestaties = await handlers.get_declaratie(uow, current_tenant(), request.bericht_id)
        return declaratie_pb2.DeclaratieDetail(
            declaratie=_overzicht(row),
            prestaties=[_prestatie_pb(p) for p in prestaties],
        )

    @rpc
    async def MaakAfrekening(self, request: declaratie_pb2.MaakAfrekeningRequest, context: grpc.aio.ServicerContext) -> declaratie_pb2.Afrekening:
        async with self.runtime.unit_of_work() as uow:
            afrekening_id, gemaakt, kenmerk = await handlers.maak_afrekening(
                uow, current_tenant(), request.gemeente.value, request.aanbieder.value, request.jaar, request.maand, request.definitief, optional_date(request.datum, "datum")
            )
        return _afrekening(afrekening_id, gemaakt, None, kenmerk)

    @rpc
    async def ListAfrekeningen(self, request: declaratie_pb2.ListAfrekeningenRequest, context: grpc.aio.ServicerContext) -> declaratie_pb2.ListAfrekeningenResponse:
        limit = page_size(request.page.page_size)
        voor = decode_token(request.page.page_token, 1)
        async with self.runtime.unit_of_work() as uow:
            page = await handlers.list_afrekeningen(uow, current_tenant(), limit, _getal(voor[0]) if voor else None)
        token = page.token(lambda r: [str(r[0])])
        return declaratie_pb2.ListAfrekeningenResponse(afrekeningen=[_afrekening(i, a, op, k) for i, a, op, k in page.rows], next_page_token=token)

    @rpc
    async def GetGemeenteInstellingen(self, request: declaratie_pb2.GetGemeenteInstellingenRequest, context: grpc.aio.ServicerContext) -> declaratie_pb2.GemeenteInstellingen:
        async with self.runtime.unit_of_work() as uow:
            return _instellingen_pb(await handlers.get_instellingen(uow, current_tenant(), request.gemeente.value))

    @rpc
    async def ZetGemeenteInstellingen(self, request: declaratie_pb2.ZetGemeenteInstellingenRequest, context: grpc.aio.ServicerContext) -> declaratie_pb2.GemeenteInstellingen:
        instellingen = _instellingen_uit(request.instellingen)
        async with self.runtime.unit_of_work() as uow:
            return _instellingen_pb(await handlers.zet_instellingen(uow, current_tenant(), instellingen))

    @rpc
    async def ListBenutting(self, request: declaratie_pb2.ListBenuttingRequest, context: grpc.aio.ServicerContext) -> declaratie_pb2.ListBenuttingResponse:
        van = to_date(request.periode.begindatum, "periode.begindatum")
        tot = optional_date(request.periode.einddatum, "periode.einddatum") or van
        limit = page_size(request.page.page_size)
        na = _sleutel(decode_token(request.page.page_token, 3))
        async with self.runtime.unit_of_work() as uow:
            regels, verder = await handlers.list_benutting(
                uow, current_tenant(), van, tot, limit, na, request.gemeente.value or None, request.aanbieder.value or None, request.bsn.value or None
            )
        return declaratie_pb2.ListBenuttingResponse(benutting=[_benutting_pb(r) for r in regels], next_page_token=_token(verder))

    @rpc
    async def ListOnderbenuttingSignalen(
        self, request: declaratie_pb2.ListOnderbenuttingSignalenRequest, context: grpc.aio.ServicerContext
    ) -> declaratie_pb2.ListOnderbenuttingSignalenResponse:
        limit = page_size(request.page.page_size)
        na = _sleutel(decode_token(request.page.page_token, 3))
        async with self.runtime.unit_of_work() as uow:
            regels, verder = await handlers.list_onderbenutting_signalen(uow, current_tenant(), date.today(), limit, na, request.gemeente.value or None)
        return declaratie_pb2.ListOnderbenuttingSignalenResponse(signalen=[_signaal_pb(r) for r in regels], next_page_token=_token(verder))

    @rpc
    async def ListVoorschotten(self, request: declaratie_pb2.ListVoorschottenRequest, context: grpc.aio.ServicerContext) -> declaratie_pb2.ListVoorschottenResponse:
        limit = page_size(request.page.page_size)
        raw = decode_token(request.page.page_token, 3)
        na = (_datum_uit_token(raw[0]), raw[1], raw[2]) if raw else None
        async with self.runtime.unit_of_work() as uow:
            page = await handlers.list_voorschotten(uow, current_tenant(), limit, request.gemeente.value or None, request.aanbieder.value or None, na)
        token = page.token(lambda r: [r[0].periode.begindatum.isoformat(), r[0].gemeentecode, r[0].agb])
        return declaratie_pb2.ListVoorschottenResponse(voorschotten=[_voorschot_pb(v, op, k) for v, op, k in page.rows], next_page_token=token)

    @rpc
    async def RegistreerBetaalgegevens(self, request: declaratie_pb2.RegistreerBetaalgegevensRequest, context: grpc.aio.ServicerContext) -> declaratie_pb2.Betaalgegevens:
        b = request.betaalgegevens
        houder = Rekeninghouder(b.rekening.naam, b.rekening.iban, b.rekening.bic or None, b.aanbieder.value)
        async with self.runtime.unit_of_work() as uow:
            houder = await handlers.registreer_betaalgegevens(uow, current_tenant(), b.gemeente.value, houder)
        return declaratie_pb2.Betaalgegevens(gemeente=b.gemeente, aanbieder=b.aanbieder, rekening=_rekening_pb(houder))

    @rpc
    async def MaakBetaalbestand(self, request: declaratie_pb2.MaakBetaalbestandRequest, context: grpc.aio.ServicerContext) -> declaratie_pb2.Betaalbestand:
        formaat = _lookup(_FORMAAT, request.formaat, "formaat")
        datum_ = to_date(request.datum, "datum")
        async with self.runtime.unit_of_work() as uow:
            bestand = await handlers.maak_betaalbestand(
                uow, current_tenant(), request.gemeente.value, datum_, formaat, optional_date(request.uitvoerdatum, "uitvoerdatum"), datetime.now(UTC)
            )
        return declaratie_pb2.Betaalbestand(
            bestandsnaam=bestand.bestandsnaam,
            media_type=bestand.media_type,
            inhoud=bestand.inhoud,
            totaal_eurocent=bestand.opdrachten.totaal,
            aantal_opdrachten=len(bestand.opdrachten.opdrachten),
            terug_te_vorderen_eurocent=bestand.opdrachten.totaal_terug,
            aantal_afrekeningen=bestand.aantal_afrekeningen,
            periode_kenmerk=bestand.periode_kenmerk,
        )


_RITME = {Ritme.KALENDERMAAND: declaratie_pb2.RITME_KALENDERMAAND, Ritme.VIER_WEKEN: declaratie_pb2.RITME_VIER_WEKEN}
_FORMAAT = {betaalbestand.CSV: declaratie_pb2.BETAALFORMAAT_CSV, betaalbestand.PAIN001: declaratie_pb2.BETAALFORMAAT_PAIN001}


def _getal(tekst: str) -> int:
    if not tekst.isdigit():
        raise PageTokenError("page_token is not a token this service issued")
    return int(tekst)


def _datum_uit_token(tekst: str) -> date:
    try:
        return date.fromisoformat(tekst)
    except ValueError:
        raise PageTokenError("page_token is not a token this service issued") from None


def _sleutel(raw: list[str] | None) -> handlers.Sleutel | None:
    if raw is None:
        return None
    if raw[1] not in {w.value for w in Wet}:
        raise PageTokenError("page_token is not a token this service issued")
    return (raw[0], raw[1], _getal(raw[2]))


def _token(sleutel: handlers.Sleutel | None) -> str:
    return encode_token([sleutel[0], sleutel[1], str(sleutel[2])]) if sleutel else ""


def _rekening_pb(houder: Rekeninghouder | None) -> declaratie_pb2.Rekening:
    return declaratie_pb2.Rekening(naam=houder.naam, iban=houder.iban, bic=houder.bic or "") if houder else declaratie_pb2.Rekening()


def _instellingen_pb(i: GemeenteInstellingen) -> declaratie_pb2.GemeenteInstellingen:
    return declaratie_pb2.GemeenteInstellingen(
        gemeente=common_pb2.Gemeentecode(value=i.gemeentecode),
        ritme=_RITME[i.ritme.ritme],
        eerste_maandag=datum(i.ritme.eerste_maandag),
        onderbenutting_drempel_dagen=i.onderbenutting_drempel_dagen,
        debiteur=_rekening_pb(i.debiteur),
    )


def _instellingen_uit(pb: declaratie_pb2.GemeenteInstellingen) -> GemeenteInstellingen:
    ritme = Ritme.KALENDERMAAND if pb.ritme == declaratie_pb2.RITME_UNSPECIFIED else _lookup(_RITME, pb.ritme, "ritme")
    debiteur = Rekeninghouder(pb.debiteur.naam, pb.debiteur.iban, pb.debiteur.bic or None) if pb.debiteur.iban else None
    return GemeenteInstellingen(
        gemeentecode=pb.gemeente.value,
        ritme=PeriodeRitme(ritme, optional_date(pb.eerste_maandag, "eerste_maandag")),
        onderbenutting_drempel_dagen=pb.onderbenutting_drempel_dagen or ONDERBENUTTING_DREMPEL_DAGEN,
        debiteur=debiteur,
    )


def _periode_pb(p: Periode) -> common_pb2.Periode:
    return common_pb2.Periode(begindatum=datum(p.begindatum), einddatum=datum(p.einddatum))


def _tekst(waarde: Decimal | None) -> str:
    return "" if waarde is None else f"{waarde:.2f}"


def _product(t: ToewijzingKopie) -> common_pb2.Product:
    return common_pb2.Product(categorie=t.categorie or "", code=t.code or "")


def _benutting_pb(r: handlers.BenuttingRegel) -> declaratie_pb2.Benutting:
    b = r.benutting
    percentage = b.benuttingspercentage
    return declaratie_pb2.Benutting(
        gemeente=common_pb2.Gemeentecode(value=b.gemeentecode),
        wet=_WET[b.wet],
        toewijzing_nummer=b.toewijzing_nummer,
        bsn=common_pb2.Bsn(value=b.bsn),
        aanbieder=common_pb2.AgbCode(value=b.agb),
        product=_product(r.toewijzing),
        periode=_periode_pb(b.periode),
        periode_kenmerk=r.periode_kenmerk,
        eenheid=b.eenheid or "",
        toegewezen_volume=_tekst(b.toegewezen_volume),
        toegewezen_eurocent=b.toegewezen_bedrag,
        gedeclareerd_volume=_tekst(b.gedeclareerd_volume),
        gedeclareerd_eurocent=b.gedeclareerd_bedrag,
        toegekend_volume=_tekst(b.toegekend_volume),
        toegekend_eurocent=b.toegekend_bedrag,
        dagen_zonder_tarief=b.dagen_zonder_tarief,
        benuttingspercentage="" if percentage is None else f"{percentage:.1f}",
    )


def _signaal_pb(r: handlers.SignaalRegel) -> declaratie_pb2.OnderbenuttingSignaal:
    s = r.signaal
    return declaratie_pb2.OnderbenuttingSignaal(
        soort=s.soort.value,
        gemeente=common_pb2.Gemeentecode(value=s.gemeentecode),
        wet=_WET[s.wet],
        toewijzing_nummer=s.toewijzing_nummer,
        bsn=common_pb2.Bsn(value=s.bsn),
        aanbieder=common_pb2.AgbCode(value=s.agb),
        product=_product(r.toewijzing),
        sinds=datum(s.sinds),
        dagen=s.dagen,
        drempel_dagen=r.drempel_dagen,
    )


def _voorschot_pb(v: Voorschot, vastgesteld_op: Any, kenmerk: str) -> declaratie_pb2.Voorschot:
    return declaratie_pb2.Voorschot(
        gemeente=common_pb2.Gemeentecode(value=v.gemeentecode),
        aanbieder=common_pb2.AgbCode(value=v.agb),
        periode=_periode_pb(v.periode),
        periode_kenmerk=kenmerk,
        bedrag_eurocent=v.bedrag,
        verrekend_eurocent=v.verrekend,
        regels=[declaratie_pb2.VoorschotRegel(omschrijving=r.omschrijving, eurocent=r.bedrag) for r in v.regels],
        vastgesteld_op=vastgesteld_op.isoformat() if vastgesteld_op else "",
    )


def _afrekening(afrekening_id: int, a: Afrekening, gemaakt_op: Any, kenmerk: str) -> declaratie_pb2.Afrekening:
    return declaratie_pb2.Afrekening(
        id=afrekening_id,
        soort=a.soort.value,
        gemeente=common_pb2.Gemeentecode(value=a.gemeentecode),
        aanbieder=common_pb2.AgbCode(value=a.agb),
        periode=_periode_pb(a.periode),
        voorschot_eurocent=a.voorschot,
        gedeclareerd_eurocent=a.gedeclareerd,
        toegekend_eurocent=a.toegekend,
        saldo_eurocent=a.saldo,
        verschil_met_voorlopig_eurocent=a.verschil_met_voorlopig or 0,
        gemaakt_op=gemaakt_op.isoformat() if gemaakt_op else "",
        periode_kenmerk=kenmerk,
    )


def _overzicht(row: Any) -> declaratie_pb2.DeclaratieOverzicht:
    return declaratie_pb2.DeclaratieOverzicht(
        bericht_id=row.bericht_id,
        gemeente=common_pb2.Gemeentecode(value=row.gemeentecode),
        wet=_WET[Wet(row.wet)],
        aanbieder=common_pb2.AgbCode(value=row.agb),
        declaratie_nummer=row.declaratie_nummer,
        periode=common_pb2.Periode(begindatum=datum(row.periode_begindatum), einddatum=datum(row.periode_einddatum)),
        ingediend_eurocent=row.ingediend_eurocent,
        toegekend_eurocent=row.toegekend_eurocent,
        aantal_prestaties=row.aantal_prestaties,
        aantal_afgewezen=row.aantal_afgewezen,
        geheel_afgewezen=row.geheel_afgewezen,
        beoordeeld_op=row.beoordeeld_op.isoformat(),
    )


def add_servicers(server: grpc.aio.Server, runtime: Runtime) -> None:
    declaratie_pb2_grpc.add_DeclaratieServicer_to_server(DeclaratieServicer(runtime), server)


def _prestatie_pb(p: Any) -> declaratie_pb2.Prestatie:
    return declaratie_pb2.Prestatie(
        bsn=common_pb2.Bsn(value=p.bsn),
        referentie_nummer=p.referentie_nummer,
        vorig_referentie_nummer=p.vorig_referentie_nummer or "",
        toewijzing_nummer=p.toewijzing_nummer,
        product=common_pb2.Product(categorie=p.product_categorie, code=p.product_code),
        periode=common_pb2.Periode(begindatum=datum(p.begindatum), einddatum=datum(p.einddatum)),
        geleverd_volume=p.geleverd_volume,
        eenheid=p.eenheid,
        product_tarief=p.product_tarief or 0,
        bedrag=p.bedrag,
        debet_credit=p.debet_credit,
        toegekend=p.toegekend,
        gecrediteerd=p.gecrediteerd,
        retour_codes=list(p.retour_codes),
    )
