"""In-process measurements on a generated database (a child process of bench/run.py).

    python -m bench.measure --quick        # prints one JSON document
    python -m bench.measure --sessions 50  # sessions for the load test (cookies and visible case ids)
    python -m bench.measure --search 100   # only the person search, 100 names per persona (--seed 7)

Requests go through Django's test Client (the whole middleware stack, views and templates, no network), logged
in with force_login: the case list (filtered, page 1 and the last page) and the case page as a case manager
and as an AHTU officer, the API's case list, and intake through the API. Each request's latency and number of
SQL queries are recorded. When a page does not exist (yet), its query functions are measured instead and the
result says so (`via: "queries"`). Person search (POST /api/v1/persons/search) is measured with spelling variants
and other-script renderings of the names of people the persona may see, for its latency and its recall (is the
person among the results?).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time
from collections.abc import Callable
from typing import Any

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count, Q  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.common import percentile  # noqa: E402
from icmc.access.actor import Actor  # noqa: E402
from icmc.access.queries import visible_cases, visible_parties  # noqa: E402
from icmc.accounts.models import Membership, Organisation  # noqa: E402
from icmc.accounts.reference import OrganisationKind, Role  # noqa: E402
from icmc.cases.models import PersonName  # noqa: E402
from icmc.cases.queries import case_detail_queryset, case_list, paginate, parse_filters  # noqa: E402
from icmc.demo.directory import Directory  # noqa: E402
from icmc.demo.names import NATIVE, VARIANTS  # noqa: E402
from icmc.demo.synth import iter_specs  # noqa: E402
from icmc.demo.write_actions import person_data, report_data, report_spec  # noqa: E402
from icmc.vault import blind  # noqa: E402
from icmc.vault.models import SearchToken  # noqa: E402

LIST_FILTER = {"exploitation_type": "SexualExploitation"}
SEARCH_LIMIT = 50


def _actor(membership: Membership) -> Actor:
    return Actor(user=membership.user, membership=membership, via="web")


def personas() -> dict[str, Membership]:
    """The case manager of the centre with most cases, and the AHTU officer assigned the most cases."""
    base = Membership.objects.filter(is_active=True).select_related("user", "organisation__jurisdiction")
    centre = (Organisation.objects.filter(kind=OrganisationKind.CENTRE)
              .annotate(n=Count("owned_cases")).order_by("-n").first())
    ahtus = Organisation.objects.filter(kind=OrganisationKind.AHTU).annotate(
        n=Count("source_cases", distinct=True) + Count("destination_cases", distinct=True)).order_by("-n")
    officer = base.filter(role=Role.AHTU_OFFICER, organisation__in=ahtus[:1]).first()
    return {"case manager": base.get(role=Role.CASE_MANAGER, organisation=centre),
            "AHTU officer": officer}  # type: ignore[dict-item]


def timed(fn: Callable[[], Any], *, runs: int, warmup: int = 2) -> dict[str, Any]:
    """Latency (ms) and SQL query count of `fn` over `runs` calls after `warmup` calls."""
    for _ in range(warmup):
        fn()
    latencies, queries = [], []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            fn()
            latencies.append((time.perf_counter() - started) * 1000)
        queries.append(len(captured.captured_queries))
    return {"p50": statistics.median(latencies), "p95": percentile(latencies, 95), "runs": runs,
            "queries_min": min(queries), "queries_max": max(queries)}


def _checked(client: Client, path: str, status: int = 200, **extra: Any) -> Callable[[], Any]:
    def get() -> None:
        response = client.get(path, **extra)
        if response.status_code != status:
            raise RuntimeError(f"GET {path.split('?')[0]} answered {response.status_code}")
    return get


def _second_factor(user: Any) -> dict[str, Any]:
    """What a session holds once the user has proved their second factor (the pages require it): django-otp's
    device marker and the login/activity times of icmc.identity.session. The benchmark skips the code itself."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from icmc.demo.world import demo_totp_key
    from icmc.identity import session as mfa_session

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
        user=user, name="benchmark", key=demo_totp_key(), confirmed=True)
    stamp = mfa_session.now()
    return {DEVICE_ID_SESSION_KEY: device.persistent_id, mfa_session.LOGIN_AT: stamp, mfa_session.SEEN_AT: stamp,
            mfa_session.MFA_AT: stamp}


def _exists(client: Client, path: str) -> bool:
    return client.get(path).status_code != 404


def measure_persona(label: str, membership: Membership, *, runs: int, rng: random.Random) -> dict[str, Any]:
    actor = _actor(membership)
    client = Client()
    client.force_login(membership.user)
    store = client.session
    store.update(_second_factor(membership.user))
    store.save()
    filters = parse_filters(data=LIST_FILTER)
    total = case_list(actor=actor, filters=filters).count()
    last = max(1, -(-total // settings.ICMC_PAGE_SIZE))
    ids = list(visible_cases(actor=actor).order_by("?").values_list("pk", flat=True)[:200])
    out: dict[str, Any] = {"persona": label, "visible_cases": visible_cases(actor=actor).count(),
                           "filtered_cases": total, "deep_page": last}
    query = "&".join(f"{k}={v}" for k, v in LIST_FILTER.items())
    if _exists(client, "/cases/"):
        out["list_page1"] = timed(_checked(client, f"/cases/?{query}"), runs=runs) | {"via": "web"}
        # The same page when its count is not remembered (after any write; icmc.cases.queries._remembered_count).
        uncounted = _checked(client, f"/cases/?{query}")
        out["list_page1_counted"] = timed(lambda: (cache.clear(), uncounted()), runs=max(5, runs // 2)) | {
            "via": "web"}
        out["list_deep"] = timed(_checked(client, f"/cases/?{query}&page={last}"), runs=runs) | {"via": "web"}
    else:
        def page(number: int) -> Callable[[], Any]:
            return lambda: list(paginate(queryset=case_list(actor=actor, filters=filters), page=number,
                                         page_size=settings.ICMC_PAGE_SIZE).object_list)
        out["list_page1"] = timed(page(1), runs=runs) | {"via": "queries"}
        out["list_deep"] = timed(page(last), runs=runs) | {"via": "queries"}
    if ids and _exists(client, f"/cases/{ids[0]}/"):
        out["case_page"] = timed(lambda: _checked(client, f"/cases/{rng.choice(ids)}/")(), runs=runs) | {"via": "web"}
    elif ids:
        cases = {c.pk: c for c in visible_cases(actor=actor).filter(pk__in=ids)}
        out["case_page"] = timed(lambda: case_detail_queryset(case=cases[rng.choice(ids)]), runs=runs) | {
            "via": "queries"}
    out["person_search"] = person_search(actor=actor, client=client, runs=runs, rng=rng)
    if label == "case manager":
        if _exists(client, "/api/v1/cases"):
            out["api_list"] = timed(_checked(client, f"/api/v1/cases?{query}"), runs=runs) | {"via": "api"}
        out["raw_sql_page1"] = raw_sql(actor=actor, runs=runs)
        out["intake"] = intake(membership, client=client, runs=max(5, runs // 2))
    return out


def raw_sql(*, actor: Actor, runs: int) -> dict[str, Any]:
    """The same rows as the list's page 1, by executing the SQL Django generates for the page's count and rows
    directly on the database cursor: the floor the page's cost can be compared with."""
    qs = case_list(actor=actor, filters=parse_filters(data=LIST_FILTER))
    rows_sql, rows_params = qs[: settings.ICMC_PAGE_SIZE].query.sql_with_params()
    count_qs = qs.values("pk")
    count_sql, count_params = count_qs.query.sql_with_params()

    counting = f"SELECT COUNT(*) FROM ({count_sql}) AS counted"  # noqa: S608 (SQL compiled by Django)

    def run() -> None:
        with connection.cursor() as cursor:
            cursor.execute(counting, count_params)
            cursor.fetchone()
            cursor.execute(rows_sql, rows_params)
            cursor.fetchall()

    return timed(run, runs=runs)


_SPELLINGS: dict[str, list[str]] = {}
for _first, _others in VARIANTS.items():
    for _word in (_first, *_others):
        _SPELLINGS.setdefault(_word, []).extend(w for w in (_first, *_others) if w != _word)


def spelling_variant(name: str, *, rng: random.Random) -> str | None:
    """The name as another case file might write it: a word in another transliteration ("Lakshmi" -> "Laxmi")
    or in Devanagari / Bengali-Assamese script; None when no word of the name has another form."""
    words, changed = [], False
    for word in name.split(" "):
        spellings = sorted(set(_SPELLINGS.get(word, [])))
        natives = sorted({table[word] for table in NATIVE.values() if word in table})
        if spellings and (not natives or rng.random() < 0.6):
            words.append(rng.choice(spellings))
            changed = True
        elif natives:
            words.append(rng.choice(natives))
            changed = True
        else:
            words.append(word)
    return " ".join(words) if changed else None


def person_search(*, actor: Actor, client: Client, runs: int, rng: random.Random) -> dict[str, Any]:
    """POST /api/v1/persons/search with variants of the names of survivors the persona may see: latency, queries,
    and recall: the share of searches whose person is among the results (50, the most the API gives: synthetic
    names are drawn from short lists, so dozens of people may carry the very spelling searched for and rank
    above the person whose name was respelt)."""
    # A sample drawn by `rng` from the visible survivors in id order: the same searches for the same seed and
    # database, so that two versions of the search can be compared on the very same names.
    survivors = sorted(set(visible_parties(actor=actor).filter(role="survivor").order_by()
                           .values_list("person_id", flat=True)), key=str)
    pool = rng.sample(survivors, min(len(survivors), runs * 5))
    names: dict[Any, str] = {}
    for row in PersonName.objects.filter(person_id__in=pool, is_alias=False, script="Latn").order_by("position"):
        names.setdefault(row.person_id, row.value)
    samples = [(pid, variant) for pid in pool if pid in names
               and (variant := spelling_variant(names[pid], rng=rng))][:runs + 2]
    found: list[int] = []
    ranks: list[int] = []
    cpu: list[float] = []  # this process's CPU time per search: on a busy machine, what the search itself spent

    def search() -> None:
        person_id, query = samples[len(found) % len(samples)] if samples else (None, "Lakshmi")
        started = time.process_time()
        response = client.post("/api/v1/persons/search", data=json.dumps({"name": query, "limit": SEARCH_LIMIT}),
                               content_type="application/json")
        cpu.append((time.process_time() - started) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"POST /api/v1/persons/search answered {response.status_code}")
        ids = [hit["id"] for hit in response.json()["results"]]
        hit = str(person_id) in ids
        found.append(int(hit))
        if hit:
            ranks.append(ids.index(str(person_id)) + 1)

    if not samples:
        return {"samples": 0}
    result = timed(search, runs=min(runs, len(samples)), warmup=0)
    # Namesakes (outside the timing): the people the persona may see whose names sound the same as the searched
    # person's in every word (they hold all of its sound tokens: the same name in another script or spelling, or
    # the very same). When SEARCH_LIMIT or more do, a name alone cannot bring that one person into the results,
    # whatever the search does; such searches are counted apart ("distinguishable" recall leaves them out).
    visible = visible_parties(actor=actor).values("person_id")
    key = blind.index_key()

    def namesakes(name: str) -> int:
        sounds = {token for kind, token in blind.name_tokens(key, name) if kind == blind.TokenKind.SOUND}
        return (SearchToken.objects.filter(token__in=sounds, person_id__in=visible).values("person_id")
                .annotate(n=Count("id")).filter(n=len(sounds)).count()) if sounds else 0

    homonyms = [namesakes(names[pid]) for pid, _query in samples[:len(found)]]
    distinct = [hit for hit, n in zip(found, homonyms, strict=True) if n < SEARCH_LIMIT]
    return result | {"via": "api", "samples": len(found), "recall": sum(found) / len(found),
                     "cpu_p50": statistics.median(cpu),
                     "median_rank": statistics.median(ranks) if ranks else None,
                     "homonyms_median": statistics.median(homonyms),
                     "distinguishable": len(distinct),
                     "recall_distinguishable": sum(distinct) / len(distinct) if distinct else None}


def api_body(data: dict[str, Any]) -> dict[str, Any]:
    """A page's form data as an API body: JSON null instead of empty strings, numbers as numbers."""
    body = {k: (None if v == "" else v) for k, v in data.items()}
    age = body.get("estimated_age")
    if age is not None:
        body["estimated_age"] = int(age)
    return body


def intake(membership: Membership, *, client: Client, runs: int) -> dict[str, Any]:
    """Report new cases as the case manager: through POST /api/v1/cases if it exists, else the action."""
    directory = Directory.load()
    state = membership.organisation.jurisdiction.state_id or "IN-ML"
    specs = iter(iter_specs(seed=99, count=runs + 3, anchor=timezone.localdate(), years=1,
                            state_weights={state: 1.0}))
    if _exists(client, "/api/v1/cases"):
        def post() -> None:
            spec = next(specs)
            body = api_body(report_data(spec, directory=directory)) | {
                "survivors": [api_body(person_data(p)) for p in spec.survivors],
                "suspects": [api_body(person_data(p)) for p in spec.suspects]}
            # The test client does not enforce CSRF; a browser session would send its X-CSRFToken header.
            response = client.post("/api/v1/cases", data=json.dumps(body), content_type="application/json")
            if response.status_code != 201:
                fields = sorted(response.json().get("errors", {})) if response.status_code == 422 else []
                raise RuntimeError(f"POST /api/v1/cases answered {response.status_code} {fields}")
        return timed(post, runs=runs, warmup=1) | {"via": "api"}
    return timed(lambda: report_spec(next(specs), directory=directory), runs=runs, warmup=1) | {"via": "action"}


def sessions(count: int, *, rng: random.Random) -> list[dict[str, Any]]:
    """Logged-in sessions for the load test: case managers and AHTU officers with cases, round robin."""
    from importlib import import_module

    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    store = import_module(settings.SESSION_ENGINE).SessionStore
    memberships = [m for m in Membership.objects.filter(
        Q(role=Role.CASE_MANAGER) | Q(role=Role.AHTU_OFFICER), is_active=True)
        .select_related("user", "organisation__jurisdiction").order_by("user__username")]
    pool = []
    for m in memberships:
        ids = [str(pk) for pk in visible_cases(actor=_actor(m)).order_by("?").values_list("pk", flat=True)[:200]]
        if ids:
            pool.append((m, ids))
    users = []
    for i in range(count):
        m, ids = pool[i % len(pool)]
        session = store()
        session[SESSION_KEY] = str(m.user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = m.user.get_session_auth_hash()
        session.update(_second_factor(m.user))
        session.create()
        users.append({"cookie": f"{settings.SESSION_COOKIE_NAME}={session.session_key}", "case_ids": ids,
                      "role": m.role})
    rng.shuffle(users)
    return users


def search_only(*, runs: int, seed: int) -> list[dict[str, Any]]:
    """Only the person search of both personas (`--search N`): N searches each, drawn with `seed`."""
    results = []
    for label, membership in personas().items():
        if membership is None:
            continue
        client = Client()
        client.force_login(membership.user)
        store = client.session
        store.update(_second_factor(membership.user))
        store.save()
        results.append({"persona": label, "person_search": person_search(
            actor=_actor(membership), client=client, runs=runs, rng=random.Random(f"{seed}:{label}"))})
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--sessions", type=int, default=0)
    parser.add_argument("--search", type=int, default=0, metavar="N",
                        help="only the person search: N searches per persona (same names for the same --seed)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    if args.sessions:
        print(json.dumps(sessions(args.sessions, rng=rng)))
        return
    if args.search:
        print(json.dumps(search_only(runs=args.search, seed=args.seed)))
        return
    runs = 15 if args.quick else 40
    results = [measure_persona(label, m, runs=runs, rng=rng) for label, m in personas().items() if m]
    print(json.dumps(results))


if __name__ == "__main__":
    main()
