"""The rules table of docs/deadlines.md, generated from icmc.deadlines.rules (tests check they agree)."""

from __future__ import annotations

from icmc.deadlines.rules import RULES, Variant


def _variant(v: Variant | None) -> str:
    if v is None:
        return "does not apply"
    serious = f" ({v.due_if_serious} if serious)" if v.due_if_serious else ""
    return f"{v.basis}: {v.due}{serious}"


def rules_table() -> str:
    lines = ["| # | key | trigger | condition | due (per regime) | owner | closed by | [V]/[M] |",
             "|---|---|---|---|---|---|---|---|"]
    for r in RULES:
        due = "; ".join(f"{regime}: {_variant(v)}" for regime, v in r.variants.items())
        lines.append(f"| {r.number} | `{r.key}` | {r.trigger} | {r.condition or '—'} | {due} | {r.owner} | "
                     f"{r.closing} | {r.certainty} |")
    return "\n".join(lines) + "\n"
