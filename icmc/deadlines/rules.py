"""Legal and policy deadlines as data (source: /work/shared/domain/deadlines.md). Code, pages and docs/deadlines.md
read this table; tests check that the document and the data agree.

A rule fires on a *trigger* event (icmc.deadlines.events), when its *condition* holds, and becomes a task owned by an
organisation chosen by *owner*. It is closed by its *closing* event ("manual": someone marks it done with a note).
Each rule has one *variant* per law regime (the regime of the case's first FIR date, icmc.prosecution.law; "any" when
the rule does not depend on the criminal procedure code). A variant of None: the rule does not apply in that regime.
[V] = checked in the source text; [M] = secondary or from memory, configurable (see STATE_OVERRIDES).

Per-state overrides: STATE_OVERRIDES maps an ISO 3166-2 state code (the case owner's state) to {rule key: Offset}.
It replaces the due offset of that rule for cases of that state (e.g. a state policy that asks for production before
the CWC within 12 hours: {"IN-ML": {"cwc_production": Offset(hours=12)}}). Edit the table and restart; documented in
docs/deadlines.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

ANY = "any"
IPC = "IPC/CrPC"
BNS = "BNS/BNSS"


@dataclass(frozen=True, kw_only=True)
class Offset:
    hours: int = 0
    days: int = 0
    months: int = 0

    def __str__(self) -> str:
        parts = [(self.months, "month"), (self.days, "day"), (self.hours, "hour")]
        return ", ".join(f"{n} {unit}{'s' if n != 1 else ''}" for n, unit in parts if n) or "immediately"


@dataclass(frozen=True, kw_only=True)
class Variant:
    basis: str
    due: Offset
    due_if_serious: Offset | None = None  # when any charge carries death, life or a minimum of >= 10 years


@dataclass(frozen=True, kw_only=True)
class Rule:
    key: str
    number: int  # the row of deadlines.md
    title: StrOrPromise
    trigger: str  # an event kind of icmc.deadlines.events.EVENTS
    condition: str  # a predicate of icmc.deadlines.events.CONDITIONS ("" = always)
    owner: str  # how the owner organisation is chosen: case_owner, police, rescue_lead, cwc, legal_services
    closing: str  # the event kind that closes the task, or "manual"
    certainty: str  # "V" or "M"
    description: StrOrPromise
    variants: dict[str, Variant | None] = field(default_factory=dict)

    def variant(self, *, regime: str) -> Variant | None:
        if ANY in self.variants:
            return self.variants[ANY]
        return self.variants.get(regime)


RULES: tuple[Rule, ...] = (
    Rule(key="fir_without_delay", number=1, title=_("Help register the FIR without delay"),
         trigger="case_reported", condition="no_fir", owner="case_owner", closing="fir_recorded", certainty="V",
         description=_("[V] Trafficking needs an immediate FIR, no preliminary enquiry. 'Without delay' is set to "
                       "24 hours here [M: a working value, configurable]."),
         variants={IPC: Variant(basis="CrPC 154", due=Offset(hours=24)),
                   BNS: Variant(basis="BNSS 173", due=Offset(hours=24))}),
    Rule(key="cwc_production", number=2, title=_("Produce the child before the Child Welfare Committee"),
         trigger="survivor_rescued", condition="minor", owner="rescue_lead", closing="cwc_produced", certainty="V",
         description=_("[V] Within 24 hours of the rescue (journey time excluded)."),
         variants={ANY: Variant(basis="JJ Act s.31", due=Offset(hours=24))}),
    Rule(key="social_investigation", number=3, title=_("Social investigation report to the CWC"),
         trigger="cwc_produced", condition="", owner="cwc", closing="manual", certainty="V",
         description=_("[V] Within 15 days of the first production before the CWC."),
         variants={ANY: Variant(basis="JJ Act s.36(2)", due=Offset(days=15))}),
    Rule(key="cwc_final_order", number=3, title=_("CWC final order"),
         trigger="cwc_produced", condition="", owner="cwc", closing="cwc_ordered", certainty="M",
         description=_("[M: partly checked] Final order within 4 months of the first production."),
         variants={ANY: Variant(basis="JJ Act s.36(3)", due=Offset(months=4))}),
    Rule(key="pocso_report_cwc", number=4, title=_("Report the POCSO offence to the CWC and the Special Court"),
         trigger="charge_recorded", condition="pocso", owner="police", closing="manual", certainty="V",
         description=_("[V] Within 24 hours, with the care arrangement made for the child."),
         variants={ANY: Variant(basis="POCSO s.19(5)-(6)", due=Offset(hours=24))}),
    Rule(key="medical_examination", number=5, title=_("Medical examination of the survivor"),
         trigger="charge_recorded", condition="sexual_offence", owner="police", closing="medical_recorded",
         certainty="V",
         description=_("[V] Within 24 hours of the information; the doctor's report reaches the investigating "
                       "officer within 7 days. Closed when a medical support service is recorded."),
         variants={IPC: Variant(basis="CrPC 164A", due=Offset(hours=24)),
                   BNS: Variant(basis="BNSS 184", due=Offset(hours=24))}),
    Rule(key="itpa_magistrate", number=6, title=_("Produce the rescued person before a Magistrate"),
         trigger="survivor_rescued", condition="adult", owner="rescue_lead", closing="manual", certainty="M",
         description=_("[M: partly V] ITPA s.17: production before a Magistrate; intermediate custody at most 10 days; "
                       "medical examination (age, injuries, STIs). Due date: the 10-day custody limit."),
         variants={ANY: Variant(basis="ITPA s.17, s.15(5A)", due=Offset(days=10))}),
    Rule(key="victim_informed", number=7, title=_("Inform the victim of the progress of the investigation"),
         trigger="fir_recorded", condition="", owner="police", closing="manual", certainty="V",
         description=_("[V] Within 90 days of the FIR (new in BNSS; no equivalent deadline under CrPC)."),
         variants={IPC: None, BNS: Variant(basis="BNSS 193(3)(ii)", due=Offset(days=90))}),
    Rule(key="investigation_sexual", number=8, title=_("Complete the investigation"),
         trigger="charge_recorded", condition="sexual_offence", owner="police", closing="chargesheet_recorded",
         certainty="V",
         description=_("[V] Two months from the FIR for BNS 64-71 (IPC 376 family) or POCSO 4/6/8/10."),
         variants={IPC: Variant(basis="CrPC 173(1A)", due=Offset(months=2)),
                   BNS: Variant(basis="BNSS 193(2)", due=Offset(months=2))}),
    Rule(key="chargesheet", number=9, title=_("File the chargesheet"),
         trigger="accused_arrested", condition="", owner="police", closing="chargesheet_recorded", certainty="V",
         description=_("[V] 60 days from the arrest; 90 days when any charge carries death, life or a minimum of "
                       "10 years or more. After that the accused gets default bail."),
         variants={IPC: Variant(basis="CrPC 167(2)", due=Offset(days=60), due_if_serious=Offset(days=90)),
                   BNS: Variant(basis="BNSS 187(3)", due=Offset(days=60), due_if_serious=Offset(days=90))}),
    Rule(key="dlsa_enquiry", number=12, title=_("Legal Services Authority completes the compensation enquiry"),
         trigger="compensation_applied", condition="", owner="legal_services", closing="compensation_decided",
         certainty="V", description=_("[V] Within 2 months of the application; interim relief possible."),
         variants={IPC: Variant(basis="CrPC 357A(5)", due=Offset(months=2)),
                   BNS: Variant(basis="BNSS 396(5)-(6)", due=Offset(months=2))}),
    Rule(key="follow_up_visit", number=15, title=_("Follow-up visit"),
         trigger="follow_up_scheduled", condition="", owner="case_owner", closing="follow_up_visited",
         certainty="M",
         description=_("Impulse Model policy (not statute): follow-up for 24 months after re-integration, monthly "
                       "for months 1-6, then quarterly. One task per visit the pathway schedules, due on its day."),
         variants={ANY: Variant(basis="Impulse Model; JJ individual care plan", due=Offset())}),
)

BY_KEY: dict[str, Rule] = {rule.key: rule for rule in RULES}

# ISO 3166-2 state code -> {rule key: Offset}. Empty: no state has asked for a different deadline yet.
STATE_OVERRIDES: dict[str, dict[str, Offset]] = {}


def rules_for(*, trigger: str) -> list[Rule]:
    return [rule for rule in RULES if rule.trigger == trigger]


def rules_closed_by(*, event: str) -> list[str]:
    return [rule.key for rule in RULES if rule.closing == event]
