from pathlib import Path

from icmc.access.docs import BEGIN, END, render_policy_table

DOC = Path(__file__).resolve().parents[2] / "docs" / "permissions.md"


def test_docs_permissions_table_matches_the_policy():
    text = DOC.read_text()
    table = text[text.index(BEGIN) + len(BEGIN):text.index(END)].strip()
    assert table == render_policy_table(), "docs/permissions.md is stale: run `python -m icmc.access.docs`"
