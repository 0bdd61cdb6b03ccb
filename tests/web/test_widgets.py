"""FastSelect: the same markup as Django's Select, remembered per choices object, value and attributes."""

from __future__ import annotations

from icmc.web.widgets import FastSelect

CHOICES = [("", "Any district"),
           ("Meghalaya", [("IN-ML-EKH", "East Khasi Hills"), ("IN-ML-WJH", "West Jaintia Hills")]),
           ("NP-KTM", "Kathmandu <valley>")]


def _selected(markup: str) -> list[str]:
    return [part.split('"')[1] for part in markup.split("<option value=")[1:] if " selected" in part.split(">")[0]]


def test_remembered_markup_follows_the_value_and_the_attributes():
    choices = list(CHOICES)
    plain = FastSelect(choices=choices)
    remembered = FastSelect(choices=choices, memo=choices)
    for value in ("", "IN-ML-WJH", "NP-KTM", "IN-ML-WJH"):
        for attrs in ({"id": "id_district"}, {"id": "id_district", "aria-invalid": "true"}):
            expected = plain.render("district", value, attrs)
            got = remembered.render("district", value, attrs)
            assert got == expected
            assert _selected(got) == ([value] if value else [""])
            assert ('aria-invalid="true"' in got) == ("aria-invalid" in attrs)
    assert "Kathmandu &lt;valley&gt;" in remembered.render("district", "", {})


def test_new_choices_are_rendered_anew():
    first = list(CHOICES)
    second = [*CHOICES, ("NP-PKR", "Pokhara")]
    assert "Pokhara" not in FastSelect(choices=first, memo=first).render("district", "", {"id": "d"})
    assert "Pokhara" in FastSelect(choices=second, memo=second).render("district", "", {"id": "d"})
