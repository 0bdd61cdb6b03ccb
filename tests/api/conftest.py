"""Calling the API as a persona: a bearer token per persona, JSON in and out."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from icmc.accounts.actions import do_create_api_token
from icmc.cases.models import Case
from icmc.demo.world import World
from tests.factories import report_case

BASE = "/api/v1"


class Api:
    """A client that sends `Authorization: Bearer <token>` (or nothing, for token=None)."""

    def __init__(self, client: Client, token: str | None) -> None:
        self.client = client
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def get(self, path: str, params: dict[str, Any] | None = None) -> Any:
        return self.client.get(BASE + path, params or {}, headers=self.headers)

    def send(self, method: str, path: str, body: Any) -> Any:
        raw = body if isinstance(body, str | bytes) else json.dumps(body)
        call = getattr(self.client, method)
        return call(BASE + path, data=raw, content_type="application/json", headers=self.headers)

    def post(self, path: str, body: Any) -> Any:
        return self.send("post", path, body)

    def put(self, path: str, body: Any) -> Any:
        return self.send("put", path, body)


def make_token(world: World, username: str, label: str = "tests") -> str:
    return do_create_api_token(actor=world.actor(username), label=label)[1]


@pytest.fixture
def api_as(world: World) -> Callable[[str], Api]:
    """api_as("cm.meghalaya") -> an Api client with a fresh token of that persona."""

    def make(username: str) -> Api:
        return Api(Client(), make_token(world, username))

    return make


@pytest.fixture
def anonymous(db: None) -> Api:
    return Api(Client(), None)


@pytest.fixture
def shillong_case(world: World) -> Case:
    """A case of the Shillong centre whose source AHTU is East Khasi Hills; every place is in Meghalaya."""
    return report_case(world, "cm.meghalaya", source_ahtu=str(world.organisations["ahtu_ekh"].id),
                       destination_jurisdiction="")
