"""Build the jurisdiction tree from ISO 3166 / 3166-2 (pycountry) and the north-east district list."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

import pycountry

from icmc.accounts.data.ne_districts import NE_DISTRICTS
from icmc.accounts.reference import NETWORK_COUNTRIES, JurisdictionLevel


def district_code(*, state_code: str, name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return f"{state_code}-{re.sub(r'[^A-Z0-9]+', '-', ascii_name.upper()).strip('-')}"


def jurisdiction_rows() -> list[dict[str, Any]]:
    """Every jurisdiction as a dict (code, name, level, parent, state, country), parents before children."""
    rows: list[dict[str, Any]] = []
    for alpha2 in NETWORK_COUNTRIES:
        country = pycountry.countries.get(alpha_2=alpha2)
        assert country is not None
        rows.append({"code": alpha2, "name": country.name, "level": JurisdictionLevel.COUNTRY,
                     "parent": None, "state": None, "country": alpha2})
        subdivisions = sorted(pycountry.subdivisions.get(country_code=alpha2), key=lambda s: s.code)
        for sub in subdivisions:
            if sub.parent_code is None:
                rows.append({"code": sub.code, "name": sub.name, "level": JurisdictionLevel.STATE,
                             "parent": alpha2, "state": sub.code, "country": alpha2})
        for sub in subdivisions:
            if sub.parent_code is not None:
                rows.append({"code": sub.code, "name": sub.name, "level": JurisdictionLevel.DISTRICT,
                             "parent": sub.parent_code, "state": sub.parent_code, "country": alpha2})
    for state_code, names in NE_DISTRICTS.items():
        for name in names:
            rows.append({"code": district_code(state_code=state_code, name=name), "name": name,
                         "level": JurisdictionLevel.DISTRICT, "parent": state_code, "state": state_code,
                         "country": "IN"})
    return rows


def load_jurisdictions(*, model: Any) -> int:
    """Create or update every jurisdiction. `model` is the Jurisdiction model (a migration's historical one
    or the real one). Returns how many rows were written."""
    for row in jurisdiction_rows():
        model.objects.update_or_create(
            code=row["code"],
            defaults={"name": row["name"], "level": row["level"], "parent_id": row["parent"],
                      "state_id": row["state"], "country": row["country"]},
        )
    return len(jurisdiction_rows())
