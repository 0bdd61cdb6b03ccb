"""docs/audit-events.md lists the privacy events; docs/privacy.md lists every approval kind."""

from __future__ import annotations

from pathlib import Path

from icmc.privacy.kinds import KINDS

DOCS = Path(__file__).resolve().parents[2] / "docs"
EVENTS = ["approval.requested", "approval.approved", "approval.refused", "person.erased", "hold.placed",
          "hold.released", "person.data_reported", "cases.exported"]


def test_privacy_events_are_documented():
    text = (DOCS / "audit-events.md").read_text()
    assert [e for e in EVENTS if f"`{e}`" not in text] == []


def test_every_approval_kind_is_documented():
    text = (DOCS / "privacy.md").read_text()
    assert [k for k in KINDS if f"`{k}`" not in text] == []
