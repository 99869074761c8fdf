"""Commands and queries of the secure workspace: meldingen, samenwerkingstrajecten, taken, the POP,
evaluaties and signalen — small functions over a unit of work.

Every call that reaches a traject records an audit row (who, which cliënt, which call) in the same
transaction: reads commit too. Phase signalen follow the POP: the melding opens the
participatieadviseur's, the overdracht the aanbieder's, the signature the gemeente's (besluit).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from indicatie.adapters.repository import ClientRepository
from indicatie.adapters.traject_repository import TrajectRepository
from indicatie.domain import termijnen
from indicatie.domain import traject as t
from indicatie.domain.evaluatie import Advies, Doelrealisatie, Evaluatie, EvaluatieSoort, vereis_lopend_traject, vervallen_bij_sluiten
from indicatie.domain.pop import BIJ_PARTICIPATIEADVISEUR, Pop, PopStatus, ZrmScore, nieuwe_pop
from indicatie.domain.taak import Prioriteit, Taak, TaakStatus, open_taken_vervallen
from indicatie.domain.taak import vereis_lopend_traject as vereis_lopend_voor_taken
from indicatie.domain.termijnen import Fase, Urgentie
from indicatie.domain.traject import (
    Actie,
    Doel,
    Partij,
    PartijSoort,
    Samenwerkingstraject,
    Signaal,
    SignaalSoort,
    TrajectStatus,
)
from runtime.db import UnitOfWork
from runtime.errors import DomainError, NotFound, PermissionDenied
from runtime.pagination import Page, read_limit
from runtime.tenancy import Tenant

TIJDZONE = ZoneInfo("Europe/Amsterdam")
FASE_SIGNALEN = (SignaalSoort.PARTICIPATIEADVISEUR, SignaalSoort.AANBIEDER, SignaalSoort.BESLUIT)


def vandaag() -> date:
    return datetime.now(TIJDZONE).date()


def nu() -> datetime:
    return datetime.now(TIJDZONE)


# helpers


async def _traject(uow: UnitOfWork, tenant: Tenant, traject_id: str, wat: str) -> Samenwerkingstraject:
    """The traject, locked for this transaction, when the caller may see it; its reading is audited."""
    repo = TrajectRepository(uow.session)
    traject = await repo.get_traject(tenant, traject_id, for_update=True)
    if traject is None:
        raise NotFound("no such samenwerkingstraject")
    await repo.audit(tenant, [traject], wat)
    return traject


def _alleen_gemeente(tenant: Tenant, wat: str) -> None:
    if tenant.is_aanbieder:
        raise PermissionDenied(f"only the gemeente may {wat}")


def _alleen_aanbieder_van(tenant: Tenant, agb: str | None, wat: str) -> None:
    if tenant.agb is None or tenant.agb != agb:
        raise PermissionDenied(f"only the aanbieder chosen in the POP may {wat}")


async def _open_signaal(uow: UnitOfWork, traject: Samenwerkingstraject, signaal: Signaal) -> None:
    await TrajectRepository(uow.session).add_signaal(signaal)
    uow.publish(t.SIGNAAL_AANGEMAAKT, t.signaal_feit(signaal), gemeentecode=traject.gemeentecode)


async def _sluit_signalen(
    uow: UnitOfWork, traject: Samenwerkingstraject, soorten: tuple[SignaalSoort, ...], bron_id: str | None = None
) -> None:
    for signaal in await TrajectRepository(uow.session).handel_signalen_af(traject.id, soorten, vandaag(), bron_id):
        uow.publish(t.SIGNAAL_AFGEHANDELD, t.signaal_feit(signaal), gemeentecode=traject.gemeentecode)


def _fase_signaal(traject: Samenwerkingstraject, fase: Fase, partij: Partij, fase_start: date, termijn_start: date) -> Signaal:
    return Signaal(
        traject_id=traject.id,
        soort=SignaalSoort(fase.value),
        partij=partij,
        deadline=termijnen.fase_deadline(fase, fase_start, termijn_start),
    )


def _gemeente(traject: Samenwerkingstraject) -> Partij:
    return Partij(PartijSoort.GEMEENTE, traject.gemeentecode, traject.participatieadviseur)


# melding and traject


async def registreer_melding(
    uow: UnitOfWork,
    tenant: Tenant,
    gemeentecode: str,
    bsn: str,
    onderwerp: str,
    meldingsdatum: date | None,
    participatieadviseur: str,
) -> Samenwerkingstraject:
    if tenant.is_aanbieder or not tenant.mag_gemeente(gemeentecode):
        raise PermissionDenied(f"no right to register meldingen for gemeente {gemeentecode}")
    if await ClientRepository(uow.session).get(tenant, gemeentecode, bsn) is None:
        raise NotFound(f"gemeente {gemeentecode} has no cliënt with this BSN; register the cliënt first")
    dag = vandaag()
    meldingsdatum = meldingsdatum or dag
    repo = TrajectRepository(uow.session)
    nummer = t.traject_nummer(gemeentecode, meldingsdatum.year, await repo.volgend_nummer(gemeentecode, meldingsdatum.year))
    traject = Samenwerkingstraject.uit_melding(
        nummer, onderwerp, gemeentecode, bsn, participatieadviseur or tenant.subject, meldingsdatum, dag
    )
    await repo.add_traject(traject)
    uow.publish(t.MELDING_ONTVANGEN, t.traject_feit(traject, meldingsdatum=meldingsdatum.isoformat()), gemeentecode=gemeentecode)
    await _open_signaal(uow, traject, _fase_signaal(traject, Fase.PARTICIPATIEADVISEUR, _gemeente(traject), meldingsdatum, meldingsdatum))
    await uow.commit()
    return traject


async def get_traject(uow: UnitOfWork, tenant: Tenant, traject_id: str) -> Samenwerkingstraject:
    traject = await _traject(uow, tenant, traject_id, "GetTraject")
    await uow.commit()
    return traject


async def list_trajecten(
    uow: UnitOfWork, tenant: Tenant, client: tuple[str, str] | None, after: str | None, limit: int
) -> Page[Samenwerkingstraject]:
    repo = TrajectRepository(uow.session)
    page = Page.of(await repo.list_trajecten(tenant, client, after, read_limit(limit)), limit)
    await repo.audit(tenant, page.rows, "ListTrajecten")
    await uow.commit()
    return page


async def wijzig_traject(
    uow: UnitOfWork,
    tenant: Tenant,
    traject_id: str,
    onderwerp: str | None,
    einddatum: date | None,
    doelen: tuple[Doel, ...] | None,
    acties: tuple[Actie, ...] | None,
) -> Samenwerkingstraject:
    traject = await _traject(uow, tenant, traject_id, "WijzigTraject")
    if tenant.is_aanbieder and (onderwerp is not None or einddatum is not None or doelen is not None):
        raise PermissionDenied("the aanbieder may change the acties; onderwerp, einddatum and doelen are the gemeente's")
    traject = traject.wijzig(onderwerp=onderwerp, einddatum=einddatum, doelen=doelen, acties=acties)
    await TrajectRepository(uow.session).update_traject(traject)
    uow.publish(t.TRAJECT_GEWIJZIGD, t.traject_feit(traject), gemeentecode=traject.gemeentecode)
    await uow.commit()
    return traject


async def sluit_traject(uow: UnitOfWork, tenant: Tenant, traject_id: str, status: TrajectStatus) -> Samenwerkingstraject:
    """Afsluiten or stoppen: an active POP before its besluit vervalt, a toegekend one ends; an
    aanvraag awaiting its besluit must be decided first. Evaluaties still gepland and taken still
    open or in_behandeling vervallen (with the day and the reason), and every open signal of the
    traject, theirs too, is afgehandeld."""
    traject = await _traject(uow, tenant, traject_id, "SluitTraject")
    _alleen_gemeente(tenant, "close a samenwerkingstraject")
    repo = TrajectRepository(uow.session)
    dag = vandaag()
    traject = traject.naar(status, dag)
    actief = next((p for p in await repo.pops(traject.id) if p.is_actief), None)
    if actief is not None:
        if actief.status is PopStatus.ONDERTEKEND:
            raise DomainError(f"the aanvraag of samenwerkingstraject {traject.nummer} awaits its besluit: decide first")
        await repo.update_pop(actief.beeindig())
    await repo.update_traject(traject)
    for evaluatie in vervallen_bij_sluiten(traject, await repo.evaluaties(traject.id), dag):
        await repo.update_evaluatie(evaluatie)
        uow.publish(
            t.EVALUATIE_VERVALLEN,
            t.traject_feit(traject, evaluatie_id=evaluatie.id, soort=evaluatie.soort.value, reden=evaluatie.vervallen_reden),
            gemeentecode=traject.gemeentecode,
        )
    taken = {taak.id: taak for taak in await repo.list_taken(traject.id, for_update=True)}
    for taak in open_taken_vervallen(traject, taken.values(), tenant.subject, nu()):
        await repo.update_taak(taken[taak.id], taak)
        uow.publish(
            t.TAAK_VERVALLEN,
            t.traject_feit(traject, taak_id=taak.id, soort=taak.soort, reden=taak.vervallen_reden),
            gemeentecode=traject.gemeentecode,
        )
    await _sluit_signalen(uow, traject, tuple(SignaalSoort))
    subject = t.TRAJECT_AFGESLOTEN if status is TrajectStatus.AFGESLOTEN else t.TRAJECT_GESTOPT
    uow.publish(subject, t.traject_feit(traject), gemeentecode=traject.gemeentecode)
    await uow.commit()
    return traject


# taken


def _check_bestemd(traject: Samenwerkingstraject, partij: Partij) -> None:
    if partij.soort is PartijSoort.GEMEENTE and partij.code != traject.gemeentecode:
        raise DomainError(f"a taak in this traject can be for gemeente {traject.gemeentecode}, not {partij.code}")
    if partij.soort is PartijSoort.AANBIEDER and partij.code != traject.aanbieder_agb:
        raise DomainError(f"aanbieder {partij.code} does not have this traject open: a taak cannot be for it")


def _taak_signaal(taak: Taak) -> Signaal:
    return Signaal(traject_id=taak.traject_id, soort=SignaalSoort.TAAK, partij=taak.bestemd_voor, deadline=taak.einddatum, bron_id=taak.id)


async def maak_taak(
    uow: UnitOfWork,
    tenant: Tenant,
    traject_id: str,
    naam: str,
    soort: str,
    bestemd_voor: Partij,
    einddatum: date,
    prioriteit: Prioriteit,
    omschrijving: str,
) -> Taak:
    traject = await _traject(uow, tenant, traject_id, "MaakTaak")
    vereis_lopend_voor_taken(traject, "made")
    _check_bestemd(traject, bestemd_voor)
    taak = Taak.nieuw(
        vandaag(),
        nu(),
        traject_id=traject.id,
        naam=naam,
        soort=soort,
        aangemaakt_door=tenant.subject,
        bestemd_voor=bestemd_voor,
        einddatum=einddatum,
        prioriteit=prioriteit,
        omschrijving=omschrijving,
    )
    await TrajectRepository(uow.session).add_taak(taak)
    uow.publish(t.TAAK_AANGEMAAKT, t.traject_feit(traject, taak_id=taak.id, soort=taak.soort), gemeentecode=traject.gemeentecode)
    await _open_signaal(uow, traject, _taak_signaal(taak))
    await uow.commit()
    return taak


async def wijzig_taak(
    uow: UnitOfWork,
    tenant: Tenant,
    traject_id: str,
    taak_id: str,
    status: TaakStatus | None,
    prioriteit: Prioriteit | None,
    einddatum: date | None,
    bestemd_voor: Partij | None,
    omschrijving: str | None,
) -> Taak:
    traject = await _traject(uow, tenant, traject_id, "WijzigTaak")
    vereis_lopend_voor_taken(traject, "changed")
    repo = TrajectRepository(uow.session)
    taken = await repo.list_taken(traject.id, taak_id, for_update=True)
    if not taken:
        raise NotFound("no such taak in this samenwerkingstraject")
    oud = taken[0]
    if bestemd_voor is not None:
        _check_bestemd(traject, bestemd_voor)
    taak = oud.wijzig(
        tenant.subject, nu(), status=status, prioriteit=prioriteit, einddatum=einddatum, bestemd_voor=bestemd_voor, omschrijving=omschrijving
    )
    await repo.update_taak(oud, taak)
    if (taak.status, taak.einddatum, taak.bestemd_voor) != (oud.status, oud.einddatum, oud.bestemd_voor):
        # the signal follows the taak: closed when it is done, renewed when its deadline or party changed
        await _sluit_signalen(uow, traject, (SignaalSoort.TAAK,), taak.id)
        if not taak.is_afgehandeld:
            await _open_signaal(uow, traject, _taak_signaal(taak))
    velden = sorted({w.veld for w in taak.geschiedenis[len(oud.geschiedenis) :]})
    uow.publish(t.TAAK_GEWIJZIGD, t.traject_feit(traject, taak_id=taak.id, velden=velden, taak_status=taak.status.value), gemeentecode=traject.gemeentecode)
    await uow.commit()
    return taak


async def list_taken(uow: UnitOfWork, tenant: Tenant, traject_id: str) -> list[Taak]:
    traject = await _traject(uow, tenant, traject_id, "ListTaken")
    taken = await TrajectRepository(uow.session).list_taken(traject.id)
    await uow.commit()
    return taken


# the POP


async def _actieve_pop(uow: UnitOfWork, traject: Samenwerkingstraject) -> Pop:
    actief = next((p for p in await TrajectRepository(uow.session).pops(traject.id) if p.is_actief), None)
    if actief is None:
        raise DomainError(f"samenwerkingstraject {traject.nummer} has no active POP")
    return actief


async def stel_pop_op(
    uow: UnitOfWork, tenant: Tenant, traject_id: str, zrm: tuple[ZrmScore, ...], profiel: str, pakket: str, aanbieder_agb: str | None
) -> Pop:
    """The participatieadviseur's part: a new concept POP, or changes to the concept or to a POP the
    aanbieder gave back (teruggegeven)."""
    traject = await _traject(uow, tenant, traject_id, "StelPopOp")
    _alleen_gemeente(tenant, "draw up the POP (the participatieadviseur's part)")
    traject.vereis_lopend()
    repo = TrajectRepository(uow.session)
    pops = await repo.pops(traject.id)
    # a concept, or a POP the aanbieder gave back: the participatieadviseur adjusts it
    concept = next((p for p in pops if p.status in BIJ_PARTICIPATIEADVISEUR), None)
    if concept is not None:
        pop = concept.vul_in(zrm, profiel, pakket, aanbieder_agb)
        await repo.update_pop(pop)
    else:
        dag = vandaag()
        # the first POP runs on the melding's 8 weeks; a later one (after an afwijzing or an end) on its own
        termijn_start = traject.meldingsdatum if not pops else dag
        pop = nieuwe_pop(pops, traject.id, tenant.subject, termijn_start).vul_in(zrm, profiel, pakket, aanbieder_agb)
        await repo.add_pop(pop)
        if pops:
            await _open_signaal(uow, traject, _fase_signaal(traject, Fase.PARTICIPATIEADVISEUR, _gemeente(traject), dag, termijn_start))
    await uow.commit()
    return pop


async def draag_pop_over(uow: UnitOfWork, tenant: Tenant, traject_id: str) -> Pop:
    traject = await _traject(uow, tenant, traject_id, "DraagPopOver")
    _alleen_gemeente(tenant, "hand the POP to the aanbieder")
    pop = (await _actieve_pop(uow, traject)).draag_over(vandaag())
    assert pop.aanbieder_agb is not None and pop.overgedragen_op is not None
    traject = traject.open_voor(pop.aanbieder_agb)
    repo = TrajectRepository(uow.session)
    await repo.update_pop(pop)
    await repo.update_traject(traject)
    await _sluit_signalen(uow, traject, (SignaalSoort.PARTICIPATIEADVISEUR,))
    aanbieder = Partij(PartijSoort.AANBIEDER, pop.aanbieder_agb)
    await _open_signaal(uow, traject, _fase_signaal(traject, Fase.AANBIEDER, aanbieder, pop.overgedragen_op, pop.termijn_start))
    uow.publish(t.POP_OVERGEDRAGEN, t.traject_feit(traject, pop_id=pop.id, profiel=pop.profiel, pakket=pop.pakket), gemeentecode=traject.gemeentecode)
    await uow.commit()
    return pop


async def vul_pop_aan(uow: UnitOfWork, tenant: Tenant, traject_id: str, inzet: str, activiteiten: tuple[str, ...]) -> Pop:
    traject = await _traject(uow, tenant, traject_id, "VulPopAan")
    pop = await _actieve_pop(uow, traject)
    _alleen_aanbieder_van(tenant, pop.aanbieder_agb, "complete inzet and activiteiten of the POP")
    pop = pop.vul_aan(inzet, activiteiten, vandaag())
    await TrajectRepository(uow.session).update_pop(pop)
    uow.publish(t.POP_AANGEVULD, t.traject_feit(traject, pop_id=pop.id), gemeentecode=traject.gemeentecode)
    await uow.commit()
    return pop


async def geef_pop_terug(uow: UnitOfWork, tenant: Tenant, traject_id: str, reden: str) -> Pop:
    """The aanbieder returns the POP to the participatieadviseur with its reden: the aanbieder's signal
    closes and the participatieadviseur's opens again, on the 4 weeks from the POP's termijn_start
    (so it may already be overdue: the 8 weeks to the besluit do not start over)."""
    traject = await _traject(uow, tenant, traject_id, "GeefPopTerug")
    pop = await _actieve_pop(uow, traject)
    _alleen_aanbieder_van(tenant, pop.aanbieder_agb, "return the POP to the participatieadviseur")
    dag = vandaag()
    pop = pop.geef_terug(reden, dag)
    await TrajectRepository(uow.session).update_pop(pop)
    await _sluit_signalen(uow, traject, (SignaalSoort.AANBIEDER,))
    await _open_signaal(uow, traject, _fase_signaal(traject, Fase.PARTICIPATIEADVISEUR, _gemeente(traject), dag, pop.termijn_start))
    uow.publish(t.POP_TERUGGEGEVEN, t.traject_feit(traject, pop_id=pop.id, reden=pop.teruggave_reden), gemeentecode=traject.gemeentecode)
    await uow.commit()
    return pop


async def onderteken_pop(uow: UnitOfWork, tenant: Tenant, traject_id: str, door: str, op: date | None) -> Pop:
    """Records the cliënt's signature (brought in by the participatieadviseur or the aanbieder): the aanvraag."""
    traject = await _traject(uow, tenant, traject_id, "OndertekenPop")
    pop = await _actieve_pop(uow, traject)
    if tenant.is_aanbieder:
        _alleen_aanbieder_van(tenant, pop.aanbieder_agb, "record the cliënt's signature")
    dag = vandaag()
    pop = pop.onderteken(door, op or dag, dag)
    assert pop.ondertekend_op is not None
    await TrajectRepository(uow.session).update_pop(pop)
    await _sluit_signalen(uow, traject, (SignaalSoort.AANBIEDER,))
    await _open_signaal(uow, traject, _fase_signaal(traject, Fase.BESLUIT, _gemeente(traject), pop.ondertekend_op, pop.termijn_start))
    uow.publish(
        t.POP_ONDERTEKEND,
        t.traject_feit(traject, pop_id=pop.id, profiel=pop.profiel, pakket=pop.pakket, ondertekend_op=pop.ondertekend_op.isoformat()),
        gemeentecode=traject.gemeentecode,
    )
    await uow.commit()
    return pop


async def neem_besluit(uow: UnitOfWork, tenant: Tenant, traject_id: str, toegekend: bool, toelichting: str) -> Pop:
    traject = await _traject(uow, tenant, traject_id, "NeemBesluit")
    _alleen_gemeente(tenant, "decide on the aanvraag")
    pop = (await _actieve_pop(uow, traject)).besluit(toegekend, vandaag(), toelichting)
    await TrajectRepository(uow.session).update_pop(pop)
    await _sluit_signalen(uow, traject, (SignaalSoort.BESLUIT,))
    uow.publish(t.POP_BESLOTEN, t.traject_feit(traject, pop_id=pop.id, besluit=pop.status.value), gemeentecode=traject.gemeentecode)
    await uow.commit()
    return pop


async def beeindig_pop(uow: UnitOfWork, tenant: Tenant, traject_id: str) -> Pop:
    traject = await _traject(uow, tenant, traject_id, "BeeindigPop")
    _alleen_gemeente(tenant, "end a POP")
    pop = (await _actieve_pop(uow, traject)).beeindig()
    await TrajectRepository(uow.session).update_pop(pop)
    await _sluit_signalen(uow, traject, FASE_SIGNALEN)
    await uow.commit()
    return pop


async def get_pop(uow: UnitOfWork, tenant: Tenant, traject_id: str) -> Pop:
    traject = await _traject(uow, tenant, traject_id, "GetPop")
    pops = await TrajectRepository(uow.session).pops(traject.id)
    await uow.commit()
    pop = next((p for p in pops if p.is_actief), pops[0] if pops else None)
    if pop is None:
        raise NotFound(f"samenwerkingstraject {traject.nummer} has no POP yet")
    return pop


# evaluaties


async def plan_evaluatie(
    uow: UnitOfWork,
    tenant: Tenant,
    traject_id: str,
    soort: EvaluatieSoort,
    beschikking_einddatum: date | None,
    eigen_verantwoordelijkheid: bool,
    reden: str,
    uiterlijk: date | None,
) -> Evaluatie:
    traject = await _traject(uow, tenant, traject_id, "PlanEvaluatie")
    vereis_lopend_traject(traject, "planned")
    if traject.aanbieder_agb is None:
        raise DomainError(f"no aanbieder has samenwerkingstraject {traject.nummer} open: there is no ondersteuning to evaluate")
    if soort is EvaluatieSoort.TUSSENTIJDS:
        _alleen_gemeente(tenant, "ask for an interim evaluatie (the wijkteam)")
        if uiterlijk is None:
            raise DomainError("an interim evaluatie needs the date it is wanted by (uiterlijk)")
        evaluatie = Evaluatie.tussentijds(traject.id, tenant.subject, reden, uiterlijk, vandaag())
    else:
        if tenant.is_aanbieder:
            _alleen_aanbieder_van(tenant, traject.aanbieder_agb, "plan an evaluatie")
        if beschikking_einddatum is None:
            raise DomainError("a regular evaluatie needs the einddatum of the beschikking")
        evaluatie = Evaluatie.regulier(traject.id, tenant.subject, beschikking_einddatum, eigen_verantwoordelijkheid)
    await TrajectRepository(uow.session).add_evaluatie(evaluatie)
    signaal = Signaal(
        traject_id=traject.id,
        soort=SignaalSoort.EVALUATIE,
        partij=Partij(PartijSoort.AANBIEDER, traject.aanbieder_agb),
        deadline=evaluatie.uiterste_datum,
        bron_id=evaluatie.id,
    )
    await _open_signaal(uow, traject, signaal)
    uow.publish(
        t.EVALUATIE_GEPLAND,
        t.traject_feit(traject, evaluatie_id=evaluatie.id, soort=evaluatie.soort.value, uiterste_datum=evaluatie.uiterste_datum.isoformat()),
        gemeentecode=traject.gemeentecode,
    )
    await uow.commit()
    return evaluatie


async def leg_evaluatie_vast(
    uow: UnitOfWork,
    tenant: Tenant,
    traject_id: str,
    evaluatie_id: str,
    uitgevoerd_op: date | None,
    doelrealisatie: tuple[Doelrealisatie, ...],
    advies: Advies,
    toelichting: str,
) -> Evaluatie:
    traject = await _traject(uow, tenant, traject_id, "LegEvaluatieVast")
    _alleen_aanbieder_van(tenant, traject.aanbieder_agb, "record the evaluatie")
    vereis_lopend_traject(traject, "recorded")
    repo = TrajectRepository(uow.session)
    gevonden = await repo.evaluaties(traject.id, evaluatie_id)
    if not gevonden:
        raise NotFound("no such evaluatie in this samenwerkingstraject")
    dag = vandaag()
    evaluatie = gevonden[0].leg_vast(uitgevoerd_op or dag, doelrealisatie, advies, toelichting, traject.doelen, dag)
    await repo.update_evaluatie(evaluatie)
    await _sluit_signalen(uow, traject, (SignaalSoort.EVALUATIE,), evaluatie.id)
    uow.publish(
        t.EVALUATIE_UITGEVOERD,
        t.traject_feit(
            traject,
            evaluatie_id=evaluatie.id,
            advies=advies.value,
            doelen={r.doel: r.mate.value for r in evaluatie.doelrealisatie},
        ),
        gemeentecode=traject.gemeentecode,
    )
    await uow.commit()
    return evaluatie


async def list_evaluaties(uow: UnitOfWork, tenant: Tenant, traject_id: str) -> list[Evaluatie]:
    traject = await _traject(uow, tenant, traject_id, "ListEvaluaties")
    evaluaties = await TrajectRepository(uow.session).evaluaties(traject.id)
    await uow.commit()
    return evaluaties


# signalen


VERLOPEN_PER_RONDE = 500


async def meld_verlopen_signalen(uow: UnitOfWork, dag: date, limit: int = VERLOPEN_PER_RONDE) -> int:
    """Publishes indicatie.signaal.verlopen once for each open signal whose deadline lies before `dag`
    (up to `limit` per call): the signal is marked reported in the transaction that writes its event
    to the outbox, so a restart or a second indicatie process never reports it again. A system task
    across all tenants (the background loop of service.py); returns how many it reported."""
    gemeld = await TrajectRepository(uow.session).meld_verlopen(dag, limit)
    for signaal, gemeentecode in gemeld:
        feit = {**t.signaal_feit(signaal), "werkdagen_te_laat": -termijnen.werkdagen_resterend(dag, signaal.deadline)}
        uow.publish(t.SIGNAAL_VERLOPEN, feit, gemeentecode=gemeentecode)
    await uow.commit()
    return len(gemeld)


@dataclass(frozen=True)
class OpenSignaal:
    signaal: Signaal
    traject_nummer: str
    werkdagen_resterend: int
    urgentie: Urgentie


async def list_signalen(
    uow: UnitOfWork,
    tenant: Tenant,
    alleen_voor_mij: bool,
    alleen_urgent: bool,
    after: tuple[str, str] | None,
    limit: int,
    traject_id: str | None = None,
) -> Page[OpenSignaal]:
    """The caller's party's open signalen (of one traject when given), earliest deadline first. They
    carry no cliënt data (the traject's nummer, not the BSN), so listing them is not audited."""
    dag = vandaag()
    rows = await TrajectRepository(uow.session).open_signalen(
        tenant,
        tenant.subject if alleen_voor_mij else None,
        termijnen.bijna_verlopen_tot(dag) if alleen_urgent else None,
        after,
        read_limit(limit),
        traject_id,
    )
    page = Page.of(rows, limit)
    return Page(
        [OpenSignaal(s, nummer, termijnen.werkdagen_resterend(dag, s.deadline), termijnen.urgentie(dag, s.deadline)) for s, nummer in page.rows], page.more
    )
