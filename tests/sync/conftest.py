from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from icmc.demo.world import World, system_actor
from icmc.sync.actions import do_register_node
from icmc.sync.client import Transport, Upstream
from icmc.sync.models import Node

UPSTREAM = "http://testserver/api/v1/sync"


def register(world: World, *usernames: str, name: str = "field node") -> tuple[Node, str]:
    return do_register_node(actor=system_actor(), name=name, kind="field",
                            users=[world.users[u] for u in usernames])


def client_transport(client: Client | None = None) -> Transport:
    """Requests to this process's upstream through Django's test client (same signing as over HTTP)."""
    client = client or Client()

    def send(*, method: str, path: str, query: str, body: bytes, headers: dict[str, str]) -> tuple[int, Any]:
        url = f"{path}?{query}" if query else path
        if method == "GET":
            response = client.get(url, headers=headers)
        else:
            response = client.post(url, data=body, content_type="application/json", headers=headers)
        return response.status_code, response.json()

    return send


def upstream_for(node: Node, key: str, transport: Transport | None = None) -> Upstream:
    return Upstream(url=UPSTREAM, node_id=str(node.id), private_key=key, transport=transport or client_transport())


class Pusher:
    """Pushes mutations one at a time, numbering them from 1, through the signed push endpoint."""

    def __init__(self, world: World, node: Node, key: str) -> None:
        self.world, self.node, self.key, self.seq = world, node, key, 0

    def __call__(self, user: str, action: str, base: dict[str, int] | None = None, **args: Any) -> dict[str, Any]:
        """Push one mutation as `user`; `base` is its base_versions ({"type:id": version})."""
        self.seq += 1
        mutation = {"seq": self.seq, "action": action, "user": str(self.world.users[user].id), "args": args,
                    "base_versions": base or {}, "client_time": "2019-01-01T00:00:00Z"}
        status, body = upstream_for(self.node, self.key).call(
            method="POST", endpoint="/push", payload={"node_id": str(self.node.id), "mutations": [mutation]})
        assert status == 200, body
        return dict(body["results"][0])


@pytest.fixture
def node_ekh(world: World) -> tuple[Node, str]:
    return register(world, "ahtu.ekh", name="EKH field kit")
