"""A field node in this process: node mode on, an identity and key in temporary files (0600)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from icmc.demo.world import World
from icmc.fieldnode import config
from icmc.sync.models import Node
from tests.sync.conftest import register
from tests.web.conftest import client_as  # noqa: F401  (a fixture)


@pytest.fixture
def node_files(settings: Any, tmp_path: Path) -> Path:
    settings.ICMC_NODE_MODE = "field"
    settings.ICMC_NODE_FILE = tmp_path / "node.json"
    settings.ICMC_NODE_KEY_FILE = tmp_path / "node_key"
    settings.ICMC_UPSTREAM_URL = ""
    return tmp_path


@pytest.fixture
def field_node(world: World, node_files: Path) -> tuple[Node, str]:
    """This process as the field node of ahtu.ekh and cm.meghalaya (registered in the same database, so that
    the identity is real; the node's own tables are the same tables here)."""
    node, key = register(world, "ahtu.ekh", "cm.meghalaya", name="EKH kit")
    config.save_identity(node_id=str(node.id), name=node.name, upstream_url="http://testserver/api/v1/sync")
    config.save_private_key(key)
    return node, key
