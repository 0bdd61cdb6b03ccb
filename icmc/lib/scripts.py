"""Writing-system detection for names (ISO 15924 codes), from Unicode blocks."""

from __future__ import annotations

import unicodedata

# ISO 15924 codes for the scripts that names in this region are written in.
SCRIPTS: dict[str, str] = {
    "Latn": "Latin",
    "Deva": "Devanagari",
    "Beng": "Bengali-Assamese",
    "Mymr": "Myanmar",
    "Zyyy": "Undetermined",
}

_PREFIX_TO_SCRIPT = {
    "LATIN": "Latn",
    "DEVANAGARI": "Deva",
    "BENGALI": "Beng",
    "MYANMAR": "Mymr",
}


def detect_script(*, text: str) -> str:
    """The ISO 15924 code of the script most letters of `text` are written in ("Zyyy" if none)."""
    counts: dict[str, int] = {}
    for char in text:
        if not char.isalpha():
            continue
        name = unicodedata.name(char, "")
        for prefix, code in _PREFIX_TO_SCRIPT.items():
            if name.startswith(prefix):
                counts[code] = counts.get(code, 0) + 1
                break
    if not counts:
        return "Zyyy"
    return max(counts, key=lambda code: counts[code])
