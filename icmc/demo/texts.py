"""Sentence templates for synthetic case summaries, place details and notes. They never name anyone."""

from __future__ import annotations

LURES: dict[str, tuple[str, ...]] = {
    "SexualExploitation": (
        "a man met on Facebook promised a job in a beauty parlour",
        "an acquaintance offered work in a spa",
        "a placement agent promised hotel work",
        "a woman from the neighbourhood offered a job in a city restaurant",
        "a young man promised marriage and took them away",
        "a contact on WhatsApp offered work as a salesgirl in a mall",
    ),
    "ForcedLabour": (
        "a labour contractor promised work at a construction site",
        "an agent offered jobs in a garment factory",
        "a middleman advanced money against work at a brick kiln",
        "a recruiter promised work in a fish processing unit",
        "an agent offered jobs at a plywood factory",
    ),
    "ChildLabour": (
        "a middleman promised schooling and work in a hotel kitchen",
        "a relative took them to work in a roadside eatery",
        "an agent promised work at a tea stall with free schooling",
        "a contractor took them to work in a spinning mill",
    ),
    "ForcedMarriage": (
        "a broker arranged a marriage with a man from another state",
        "a family acquaintance arranged a marriage for money",
        "a man promised marriage and a better life",
    ),
    "Servitude": (
        "a placement agency offered work as a domestic helper",
        "a relative promised a job as a nanny in a city household",
        "an agent offered household work with a good salary",
    ),
    "ForcedBegging": (
        "a man promised food and work in the city",
        "a group took them away from the railway station",
    ),
    "OrganRemoval": ("an agent offered money and a job abroad",),
    "ForcedAdoption": ("an unregistered home promised care for the child",),
    "Surrogacy": ("an agent offered money for surrogacy in a clinic",),
    "Other": ("a stranger offered work in the city", "an agent promised a job abroad"),
}

REPORT_ENDINGS: dict[str, tuple[str, ...]] = {
    "family": ("The family has had no contact since.", "The mother came to the centre to report it.",
               "The family received one phone call and then nothing."),
    "non_family": ("A neighbour noticed the absence and informed the centre.",
                   "A teacher reported that they stopped coming to school."),
    "survivor": ("The survivor escaped and reached the centre with the help of a shopkeeper.",
                 "The survivor called the helpline from a borrowed phone."),
    "hotline": ("The call came in on the helpline.", "A caller to the helpline reported it."),
    "police": ("The police referred the case after a rescue.", "Rescued during a raid and referred by the police."),
    "ngo": ("A partner NGO referred the case.", "Identified during an NGO outreach session and referred."),
    "anonymous": ("An anonymous caller gave the information.", "Reported anonymously."),
}

SOURCE_PLACES = (
    "a village in {district}", "{district} district", "a border village in {district}", "a town in {district}",
)
TEA_GARDEN = ("a tea garden in {district}",)
TRANSIT_PLACES = ("via {place}", "through {place}")

PLACE_DETAILS = (
    "", "", "", "near the weekly market", "tea estate labour line", "near the bus stand", "hill village",
    "riverside settlement", "near the railway station", "border village", "relief camp",
)
DESTINATION_DETAILS = (
    "", "", "a hotel in the market area", "a private house", "a spa", "a factory", "a brick kiln",
    "a construction site", "a dhaba on the highway", "a massage parlour", "a household",
)

NOTES = (
    "Spoke with the family by phone; they will come to the centre next week.",
    "Shared the case details with the AHTU; a rescue is being planned.",
    "Medical examination done at the civil hospital.",
    "Counselling session held; the survivor is settling in at the shelter.",
    "CWC informed; the child will be produced at the next sitting.",
    "Asked the partner organisation to verify the home address.",
    "Statement recorded before the magistrate.",
    "Home visit: the family is willing to receive the survivor back.",
    "Follow-up call: the survivor has rejoined school.",
    "Applied to the DLSA for victim compensation.",
    "Travel documents requested for the repatriation.",
    "The AHTU reports that the suspect's phone is switched off.",
    "Vocational training in tailoring has started.",
    "Legal aid lawyer assigned for the trial.",
)

NUMBER_WORDS = {2: "Two", 3: "Three", 4: "Four"}
