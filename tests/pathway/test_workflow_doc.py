from pathlib import Path

from icmc.pathway.docs import BEGIN, END, render_workflow_tables


def test_workflow_doc_matches_the_workflow_data():
    text = (Path(__file__).resolve().parents[2] / "docs" / "workflow.md").read_text()
    table = text.split(BEGIN, 1)[1].split(END, 1)[0].strip()
    assert table == render_workflow_tables(), "docs/workflow.md is stale: run `python -m icmc.pathway.docs`"
