from __future__ import annotations

from django.http import HttpRequest

from icmc.fieldnode.config import is_field_node


def node(request: HttpRequest) -> dict[str, bool]:
    """`field_node`: whether this installation is a field node (the navigation then links the sync page)."""
    return {"field_node": is_field_node()}
