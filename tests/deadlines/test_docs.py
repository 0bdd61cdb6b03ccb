from pathlib import Path

from icmc.deadlines.docs import rules_table
from icmc.deadlines.rules import RULES


def test_doc_table_matches_the_rules() -> None:
    doc = (Path(__file__).resolve().parents[2] / "docs" / "deadlines.md").read_text()
    assert rules_table() in doc


def test_required_rules_are_declared() -> None:
    assert {1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 15} <= {r.number for r in RULES}
    assert all((r.certainty in ("V", "M") and f"[{r.certainty}" in str(r.description)) or r.number == 15
               for r in RULES)
