"""Rows read as plain JSON values for the feed (icmc/sync/plain.py): the PostgreSQL path (values written as
text by the database) gives exactly what the ORM's values with `str`/`isoformat` give, for every projected
type (timestamps with and without a fraction of a second included)."""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal

import pytest
from django.apps import apps
from django.db import connection

from icmc.cases.models import Case
from icmc.demo.world import World
from icmc.sync import plain
from icmc.sync.projection import projections
from tests.factories import person_data, report_case

pytestmark = pytest.mark.django_db


def _reference(value: object) -> object:
    """What the projection sent before plain.py: uuids as text, dates and times by isoformat, decimals as text."""
    if isinstance(value, uuid.UUID | Decimal):
        return str(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def test_every_projected_column_reads_as_its_plain_value(world: World) -> None:
    report_case(world, "cm.meghalaya", survivors=[person_data("Plain Survivor")],
                source_ahtu=str(world.memberships["ahtu.ekh"].organisation_id))
    checked = 0
    for projection in projections().values():
        model = apps.get_model(projection.model)
        attnames = [model._meta.get_field(name).attname for name in projection.fields]  # type: ignore[union-attr]
        expected = {str(row[-1]): [_reference(v) for v in row[:-1]]
                    for row in model._default_manager.values_list(*attnames, "pk")}
        got = {row[-1]: row[:-1] for row in plain.plain_rows(model._default_manager.all(), attnames=attnames)}
        assert got == expected, projection.model
        checked += len(got)
    assert checked > 20


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the text path is PostgreSQL's")
def test_postgres_and_orm_paths_agree(world: World) -> None:
    first = report_case(world, "cm.meghalaya", survivors=[person_data("Plain Survivor")])
    second = report_case(world, "cm.meghalaya", survivors=[person_data("Other Survivor")])
    whole_second = datetime.datetime(2026, 1, 8, 6, 30, tzinfo=datetime.UTC)  # isoformat writes no fraction
    Case.objects.filter(pk=first.pk).update(reported_at=whole_second)
    Case.objects.filter(pk=second.pk).update(reported_at=whole_second.replace(microsecond=120000))
    for projection in projections().values():
        model = apps.get_model(projection.model)
        attnames = [model._meta.get_field(name).attname for name in projection.fields]  # type: ignore[union-attr]
        orm, _text, _stamps = plain._columns(model._meta.label, tuple(attnames))
        by_orm = []
        for batch in plain._orm_batches(model._default_manager.all(), attnames=attnames):
            for row in batch:
                assert isinstance(row, list)
                for i, conv in orm:
                    if row[i] is not None:
                        row[i] = conv(row[i])
                by_orm.append(row)
        by_text = list(plain.plain_rows(model._default_manager.all(), attnames=attnames))
        assert sorted(map(repr, by_text)) == sorted(map(repr, by_orm)), projection.model
