"""Per-request context (request id) kept in a contextvar so that audit events can name the request."""

from __future__ import annotations

import contextvars
import uuid
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

_request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("icmc_request_id", default=None)


def new_request_id() -> str:
    return uuid.uuid4().hex


def set_request_id(value: str | None) -> contextvars.Token[str | None]:
    return _request_id.set(value)


def reset_request_id(token: contextvars.Token[str | None]) -> None:
    _request_id.reset(token)


def current_request_id() -> str | None:
    return _request_id.get()


# A memo that lives for one request (set by the request middleware; absent elsewhere, e.g. in commands), for
# look-ups that many checks of one page repeat. Every write clears it (icmc.audit.record), so nothing read after
# a write in the same request is stale.
_request_memo: contextvars.ContextVar[dict[object, object] | None] = contextvars.ContextVar(
    "icmc_request_memo", default=None)


def start_request_memo() -> contextvars.Token[dict[object, object] | None]:
    return _request_memo.set({})


def end_request_memo(token: contextvars.Token[dict[object, object] | None]) -> None:
    _request_memo.reset(token)


def clear_request_memo() -> None:
    memo = _request_memo.get()
    if memo is not None:
        memo.clear()


def request_memo(key: object, compute: Callable[[], T]) -> T:
    """`compute()`, remembered for the rest of the request under `key` (computed every time outside a request)."""
    memo = _request_memo.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]  # type: ignore[return-value]
