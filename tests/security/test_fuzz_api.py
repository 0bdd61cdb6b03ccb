"""Fuzzing the API (docs/security.md item 26): schemathesis generates valid and invalid requests for every
operation of /api/v1/openapi.json, sent as a case manager and as an AHTU officer. Bad input must get a 4xx with
the one error shape, never a 500. Bounded: a few examples per operation and mode (the whole run under a minute)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
import schemathesis
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode

from icmc.demo.world import World
from tests.security.routes_probe import api_headers, make_subject

EXAMPLES = 6


def _operations() -> list[Any]:
    from icmc.api.api import api

    schema = schemathesis.openapi.from_dict(json.loads(json.dumps(api.get_openapi_schema())))
    return [result.ok() for result in schema.get_all_operations()]


def _send(client: Client, case: Any, headers: dict[str, str]) -> Any:
    call = getattr(client, case.method.lower())
    path = case.formatted_path
    if case.method.upper() == "GET":
        return call(path, case.query or {}, headers=headers)
    body = "" if case.body is None or not isinstance(case.body, dict | list | str | int | float | bool) \
        else json.dumps(case.body)
    query = "&".join(f"{k}={v}" for k, v in (case.query or {}).items())
    return call(f"{path}?{query}" if query else path, data=body, content_type="application/json",
                headers=headers)


def _fuzz(*, strategy: Any, label: str, send: Callable[[Any], Any], real: dict[str, str],
          failures: list[str], statuses: set[int]) -> None:
    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(case=strategy, use_real=st.booleans())
    def run(case: Any, use_real: bool) -> None:
        if use_real and case.path_parameters:  # reach the handlers, not only the 404 of an unknown id
            case.path_parameters = {k: real.get(k, v) for k, v in case.path_parameters.items()}
        try:
            response = send(case)
        except Exception as exc:  # an unhandled error is what the fuzzing looks for
            failures.append(f"{label}: {type(exc).__name__}")
            return
        statuses.add(response.status_code)
        if response.status_code >= 500:
            failures.append(f"{label}: {response.status_code}")

    try:
        run()
    except Unsatisfiable:  # no invalid request can be built for this operation (e.g. any body goes)
        return
    except Exception as exc:  # a strategy that cannot be generated is reported too
        failures.append(f"{label}: {type(exc).__name__}")


@pytest.mark.parametrize("persona", ["cm.meghalaya", "ahtu.ekh"])
def test_fuzzed_api_requests_never_get_a_500(world: World, persona: str) -> None:
    subject = make_subject(world)
    real = {"case_id": str(subject.case.pk), "party_id": str(subject.survivor.pk),
            "person_id": str(subject.survivor.person_id), "referral_id": subject.referral_id}
    headers = api_headers(world, persona)
    client = Client()
    failures: list[str] = []
    statuses: set[int] = set()
    for operation in _operations():
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            _fuzz(strategy=operation.as_strategy(generation_mode=mode),
                  label=f"{operation.method.upper()} {operation.path} ({mode.value})",
                  send=lambda case: _send(client, case, headers), real=real, failures=failures, statuses=statuses)
    assert sorted(set(failures)) == []
    # The requests got past authentication to the handlers: answers, validation errors and refusals.
    assert {200, 404, 422} <= statuses
