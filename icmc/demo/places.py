"""Geography for synthetic cases: where survivors come from, pass through and are taken to.

Every code here is a jurisdiction code of icmc.accounts.jurisdictions (tests check that they all exist).
"""

from __future__ import annotations

from icmc.accounts.data.ne_districts import NE_DISTRICTS
from icmc.accounts.jurisdictions import district_code

NE_STATES: dict[str, str] = {
    "IN-AS": "Assam", "IN-AR": "Arunachal Pradesh", "IN-MN": "Manipur", "IN-ML": "Meghalaya",
    "IN-MZ": "Mizoram", "IN-NL": "Nagaland", "IN-SK": "Sikkim", "IN-TR": "Tripura",
}

# Share of the network's cases per state (Assam registers the most).
NETWORK_STATE_WEIGHTS: dict[str, float] = {
    "IN-AS": 0.40, "IN-ML": 0.20, "IN-TR": 0.10, "IN-MN": 0.10, "IN-MZ": 0.05, "IN-NL": 0.05, "IN-AR": 0.05,
    "IN-SK": 0.05,
}


def dc(state: str, name: str) -> str:
    return district_code(state_code=state, name=name)


DISTRICT_NAMES: dict[str, str] = {dc(s, n): n for s, names in NE_DISTRICTS.items() for n in names}
DISTRICTS_BY_STATE: dict[str, list[str]] = {s: [dc(s, n) for n in names] for s, names in NE_DISTRICTS.items()}

# Districts that report more than others (source areas known to the network); the rest weigh 1.
DISTRICT_WEIGHTS: dict[str, float] = {
    dc("IN-ML", "East Khasi Hills"): 6, dc("IN-ML", "West Jaintia Hills"): 4, dc("IN-ML", "Ri-Bhoi"): 2,
    dc("IN-ML", "West Garo Hills"): 2, dc("IN-ML", "East Jaintia Hills"): 2,
    dc("IN-AS", "Kamrup Metropolitan"): 3, dc("IN-AS", "Cachar"): 3, dc("IN-AS", "Sonitpur"): 3,
    dc("IN-AS", "Dhubri"): 3, dc("IN-AS", "Kokrajhar"): 2, dc("IN-AS", "Nagaon"): 2, dc("IN-AS", "Sribhumi"): 2,
    dc("IN-AS", "Tinsukia"): 2, dc("IN-AS", "Barpeta"): 2, dc("IN-TR", "West Tripura"): 3,
    dc("IN-MN", "Imphal West"): 2, dc("IN-MN", "Churachandpur"): 2, dc("IN-MZ", "Aizawl"): 3,
    dc("IN-NL", "Dimapur"): 3, dc("IN-AR", "Papum Pare"): 2, dc("IN-SK", "Gangtok"): 2,
}

# Which communities live where: by district keyword first, then by state.
TEA_DISTRICTS = ("Sonitpur", "Tinsukia", "Dibrugarh", "Jorhat", "Golaghat", "Biswanath", "Charaideo", "Sivasagar",
        "Udalguri", "Lakhimpur")
_BODO = ("Kokrajhar", "Baksa", "Chirang", "Udalguri", "Tamulpur")
_BARAK = ("Cachar", "Hailakandi", "Sribhumi")
_CHAR = ("Dhubri", "Barpeta", "Goalpara", "South Salmara-Mankachar", "Morigaon", "Nagaon", "Darrang", "Hojai")
COMMUNITIES_BY_DISTRICT: list[tuple[tuple[str, ...], dict[str, float]]] = [
    (("Garo",), {"garo": 0.85, "bengali_muslim": 0.1, "nepali": 0.05}),
    (("Jaintia",), {"pnar": 0.85, "khasi": 0.1, "nepali": 0.05}),
    (_BODO, {"bodo": 0.6, "assamese": 0.15, "adivasi": 0.15, "bengali_muslim": 0.1}),
    (TEA_DISTRICTS, {"adivasi": 0.55, "assamese": 0.3, "nepali": 0.1, "bengali_hindu": 0.05}),
    (_BARAK, {"bengali_hindu": 0.45, "bengali_muslim": 0.45, "assamese": 0.05, "hindi": 0.05}),
    (_CHAR, {"bengali_muslim": 0.6, "assamese": 0.3, "bengali_hindu": 0.1}),
    (("Churachandpur", "Kangpokpi", "Chandel", "Tengnoupal", "Pherzawl"), {"kuki": 0.85, "meitei": 0.15}),
    (("Ukhrul", "Senapati", "Tamenglong", "Noney", "Kamjong"), {"naga": 0.85, "kuki": 0.15}),
]
COMMUNITIES_BY_STATE: dict[str, dict[str, float]] = {
    "IN-ML": {"khasi": 0.8, "nepali": 0.08, "bengali_hindu": 0.06, "garo": 0.06},
    "IN-AS": {"assamese": 0.55, "bengali_muslim": 0.15, "bengali_hindu": 0.1, "adivasi": 0.1, "nepali": 0.1},
    "IN-TR": {"tripuri": 0.55, "bengali_hindu": 0.4, "bengali_muslim": 0.05},
    "IN-MN": {"meitei": 0.8, "kuki": 0.1, "naga": 0.1},
    "IN-MZ": {"mizo": 0.85, "chin": 0.1, "kuki": 0.05},
    "IN-NL": {"naga": 0.9, "nepali": 0.05, "bengali_muslim": 0.05},
    "IN-AR": {"arunachali": 0.8, "nepali": 0.1, "assamese": 0.1},
    "IN-SK": {"nepali": 0.7, "sikkimese": 0.3},
}

# Cross-border: which neighbouring country a state's cross-border cases involve, and where there.
FOREIGN_BY_STATE: dict[str, dict[str, float]] = {
    "IN-ML": {"BD": 0.6, "NP": 0.35, "MM": 0.05}, "IN-AS": {"BD": 0.55, "NP": 0.35, "MM": 0.1},
    "IN-TR": {"BD": 0.9, "NP": 0.05, "MM": 0.05}, "IN-MN": {"MM": 0.85, "NP": 0.1, "BD": 0.05},
    "IN-MZ": {"MM": 0.8, "BD": 0.2}, "IN-NL": {"MM": 0.7, "NP": 0.3}, "IN-AR": {"MM": 0.6, "NP": 0.4},
    "IN-SK": {"NP": 0.9, "BD": 0.1},
}
FOREIGN_PLACES: dict[str, dict[str, str]] = {
    "BD": {"BD-22": "Jashore", "BD-60": "Sylhet", "BD-61": "Sunamganj", "BD-28": "Kurigram", "BD-13": "Dhaka",
           "BD-55": "Rangpur", "BD-58": "Satkhira", "BD-38": "Moulvibazar", "BD-G": "Sylhet division"},
    "NP": {"NP-P1": "Koshi Province", "NP-P2": "Madhesh Province", "NP-P3": "Bagmati Province"},
    "MM": {"MM-01": "Sagaing Region", "MM-14": "Chin State", "MM-11": "Kachin State", "MM-06": "Yangon",
           "MM-04": "Mandalay"},
}
# Border districts through which people cross, per state.
BORDER_DISTRICTS: dict[str, list[str]] = {
    "IN-ML": [dc("IN-ML", n) for n in ("South West Khasi Hills", "East Khasi Hills", "West Jaintia Hills",
                                       "South Garo Hills")],
    "IN-AS": [dc("IN-AS", n) for n in ("Dhubri", "South Salmara-Mankachar", "Sribhumi", "Cachar")],
    "IN-TR": [dc("IN-TR", n) for n in ("West Tripura", "Sepahijala", "North Tripura")],
    "IN-MN": [dc("IN-MN", n) for n in ("Tengnoupal", "Chandel", "Kamjong")],
    "IN-MZ": [dc("IN-MZ", n) for n in ("Champhai", "Lawngtlai")],
    "IN-NL": [dc("IN-NL", n) for n in ("Mon", "Noklak")],
    "IN-AR": [dc("IN-AR", n) for n in ("Changlang", "Longding")],
    "IN-SK": [dc("IN-SK", n) for n in ("Gyalshing", "Soreng")],
}

# Destinations in India per HTCDS exploitation type: state codes (metros) and north-east towns.
METROS: dict[str, str] = {
    "IN-DL": "Delhi", "IN-MH": "Mumbai", "IN-KA": "Bengaluru", "IN-TN": "Chennai", "IN-WB": "Kolkata",
    "IN-HR": "Haryana", "IN-UP": "Uttar Pradesh", "IN-RJ": "Rajasthan", "IN-PB": "Punjab", "IN-GJ": "Gujarat",
    "IN-KL": "Kerala", "IN-TS": "Hyderabad", "IN-GA": "Goa",
}
NE_TOWNS: dict[str, str] = {
    dc("IN-AS", "Kamrup Metropolitan"): "Guwahati", dc("IN-ML", "East Khasi Hills"): "Shillong",
    dc("IN-NL", "Dimapur"): "Dimapur", dc("IN-MN", "Imphal West"): "Imphal", dc("IN-TR", "West Tripura"): "Agartala",
    dc("IN-MZ", "Aizawl"): "Aizawl", dc("IN-SK", "Gangtok"): "Gangtok",
}
DESTINATIONS: dict[str, dict[str, float]] = {
    "SexualExploitation": {"IN-DL": 3, "IN-MH": 3, "IN-WB": 2, "IN-KA": 1, "IN-GA": 1, "IN-TS": 1, "NE": 3},
    "ForcedLabour": {"IN-KA": 3, "IN-TN": 3, "IN-KL": 2, "IN-GJ": 2, "IN-TS": 1, "IN-MH": 1, "NE": 1},
    "ChildLabour": {"IN-TN": 2, "IN-KA": 2, "IN-DL": 2, "IN-UP": 1, "NE": 3},
    "ForcedMarriage": {"IN-HR": 4, "IN-UP": 3, "IN-RJ": 2, "IN-PB": 2},
    "Servitude": {"IN-DL": 4, "IN-HR": 2, "IN-MH": 2, "IN-KA": 1, "NE": 2},
    "ForcedBegging": {"IN-DL": 2, "IN-WB": 2, "IN-MH": 1, "NE": 2},
    "OrganRemoval": {"IN-DL": 1, "IN-TS": 1},
    "ForcedAdoption": {"IN-DL": 1, "IN-MH": 1, "NE": 1},
    "Surrogacy": {"IN-GJ": 2, "IN-DL": 1},
    "Other": {"IN-DL": 1, "IN-KA": 1, "NE": 2},
}
TRANSIT_HUBS: dict[str, str] = {dc("IN-AS", "Kamrup Metropolitan"): "Guwahati railway station",
                                "IN-WB": "Siliguri (New Jalpaiguri)"}
