"""A tenant is bound to gemeenten or to one AGB code, travels in gRPC metadata, and limits queries."""

import pytest
from sqlalchemy import Column, MetaData, String, Table, select
from sqlalchemy.dialects import postgresql

from runtime.tenancy import Role, Tenant, TenancyError

rows = Table("rows", MetaData(), Column("gemeentecode", String), Column("agb", String))


def sql(tenant: Tenant, agb_column=rows.c.agb) -> str:  # type: ignore[no-untyped-def]
    query = select(rows).where(tenant.clause(rows.c.gemeentecode, agb_column))
    return str(query.compile(dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True}))


def test_metadata_round_trip():
    for tenant in (
        Tenant.gemeente(Role.REGIONAAL_BACKOFFICE, "bo-1", ["0356", "0321"]),
        Tenant.aanbieder(Role.AANBIEDER_MEDEWERKER, "mw-1", "98100001"),
    ):
        assert Tenant.from_metadata(tenant.to_metadata()) == tenant


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda: Tenant(Role.GEMEENTE_CONSULENT, "x"), "not both or neither"),
        (lambda: Tenant(Role.SYSTEEM, "x", frozenset({"0356"}), "98100001"), "not both or neither"),
        (lambda: Tenant.gemeente(Role.GEMEENTE_CONSULENT, "x", ["356"]), "not a gemeentecode"),
        (lambda: Tenant.aanbieder(Role.AANBIEDER_MEDEWERKER, "x", "9810"), "not an AGB code"),
        (lambda: Tenant.gemeente(Role.AANBIEDER_MEDEWERKER, "x", ["0356"]), "bound to an AGB code"),
        (lambda: Tenant.aanbieder(Role.GEMEENTE_CONSULENT, "x", "98100001"), "gemeente role"),
        (lambda: Tenant.from_metadata([("x-zk-role", "koning")]), "unknown role"),
        (lambda: Tenant.from_metadata([]), "carries no x-zk-role"),
    ],
)
def test_invalid_tenants_are_refused(make, message):
    with pytest.raises(TenancyError, match=message):
        make()


def test_gemeente_tenant_filters_on_its_gemeentecodes():
    assert "rows.gemeentecode IN ('0321', '0356')" in sql(Tenant.gemeente(Role.REGIONAAL_BACKOFFICE, "bo", ["0356", "0321"]))


def test_aanbieder_tenant_filters_on_its_agb_and_sees_nothing_without_an_agb_column():
    aanbieder = Tenant.aanbieder(Role.AANBIEDER_MEDEWERKER, "mw", "98100001")
    assert "rows.agb = '98100001'" in sql(aanbieder)
    assert "false" in sql(aanbieder, agb_column=None)
