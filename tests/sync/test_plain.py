"""Rows read as plain JSON values for the feed (icmc/sync/plain.py): the PostgreSQL path (values written as
text by the database) gives exactly what the ORM's values with `str`/`isoformat` give, for every projected
type, on whatever data the story writer makes; and the timestamp rewriting is exact."""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal

import pytest
from django.apps import apps
from django.db import connection

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
    report_case(world, "cm.meghalaya", survivors=[person_data("Plain Survivor")])
    for projection in projections().values():
        model = apps.get_model(projection.model)
        attnames = [model._meta.get_field(name).attname for name in projection.fields]  # type: ignore[union-attr]
        orm, _text = plain._columns(model._meta.label, tuple(attnames))
        by_orm = []
        for row in plain._orm_rows(model._default_manager.all(), attnames=attnames):
            for i, conv in orm:
                if row[i] is not None:
                    row[i] = conv(row[i])
            by_orm.append(row)
        by_text = list(plain.plain_rows(model._default_manager.all(), attnames=attnames))
        assert sorted(map(repr, by_text)) == sorted(map(repr, by_orm)), projection.model


@pytest.mark.parametrize("when", [
    datetime.datetime(2026, 1, 8, 6, 30, tzinfo=datetime.UTC),
    datetime.datetime(2026, 1, 8, 6, 30, 0, 120000, tzinfo=datetime.UTC),
    datetime.datetime(2026, 1, 8, 6, 30, 5, 1, tzinfo=datetime.UTC),
    datetime.datetime(2019, 12, 31, 23, 59, 59, 999999, tzinfo=datetime.UTC),
])
def test_timestamp_text_becomes_isoformat(when: datetime.datetime) -> None:
    text = when.strftime("%Y-%m-%d %H:%M:%S")  # PostgreSQL's ISO style: fraction without trailing zeros
    if when.microsecond:
        text += "." + f"{when.microsecond:06d}".rstrip("0")
    assert plain.iso_timestamptz(text + "+00") == when.isoformat()
    # another time zone than the connection's UTC: the same instant, written in UTC
    local = when.astimezone(datetime.timezone(datetime.timedelta(hours=5, minutes=30)))
    assert plain.iso_timestamptz(local.isoformat(sep=" ")) == when.isoformat()
