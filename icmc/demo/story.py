"""What happens to a synthetic case after it is reported: its story, as plain data (no database).

`tell(spec, rng=..., anchor=...)` follows each survivor through the 6 R's (rescue, CWC production of a minor,
shelter stays, support services, care plan, home investigation report, repatriation or long-term placement,
two years of follow-up visits, compensation) and the case through prosecution (FIR, charges, accused, arrest,
chargesheet, hearings, verdict) to its closure, with the consents and the fates of its referrals. Nothing
happens on or after `anchor` (today for live data): recent cases are still early in their story.

Rates follow shared/domain/facts.md ("Scale"): FIR for 60-80 % of cases, chargesheet for ~85 % of FIRs,
conviction in 10-20 % of decided trials, compensation paid to under 5 % of survivors, cross-border repatriation
taking a lognormal time with a median of 9-12 months and a tail to 4 years.
"""

from __future__ import annotations

import datetime
import math
import random
from dataclasses import dataclass, field

from icmc.demo.specs import CaseSpec, PersonSpec
from icmc.pathway.codes import (
    CROSS_BORDER_STEPS,
    PRE_RESCUE_CHECKLIST,
    ClaimStatus,
    CwcOutcome,
    PlacementPlan,
    ServiceKind,
    ServiceStatus,
    VisitMode,
    VisitOutcome,
)
from icmc.pathway.workflow import FOLLOW_UP_LENGTH_MONTHS, FOLLOW_UP_MONTHS
from icmc.prosecution.codes import BailStatus, ClosureOutcome, HearingPurpose, VerdictResult
from icmc.prosecution.law import BNS_IN_FORCE
from icmc.referrals.codes import ConsentBasis, ConsentResponse

RESCUE_SHARE = 0.85  # of cases: a rescue operation (the rest: survivors came home on their own, or not found)
LATE_FIR_SHARE = 0.25  # of cases without an FIR at intake: one registered later (total FIR share ~75 %)
CHARGESHEET_SHARE = 0.85  # of FIR cases with an accused
CONVICTION_SHARE = 0.16  # of decided trials
CLAIM_SHARE = 0.08  # of survivors: a compensation claim is filed
CLAIM_PAID_SHARE = 0.4  # of claims: awarded and paid (so about 3 % of survivors are compensated)
SAFE_HOME_SHARE = 0.72  # of home investigations: home is safe, repatriation follows

_ONE_DAY = datetime.timedelta(days=1)


def add_months(day: datetime.date, months: int) -> datetime.date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    last = (datetime.date(year + month // 12, month % 12 + 1, 1) - _ONE_DAY).day
    return datetime.date(year, month, min(day.day, last))


@dataclass(slots=True)
class Cwc:
    produced_on: datetime.date
    hours_after_rescue: int
    outcome: str  # CwcOutcome
    ordered_on: datetime.date | None  # when the order was recorded (a correction of the production)


@dataclass(slots=True)
class Stay:
    government: bool
    admitted_on: datetime.date
    ended_on: datetime.date | None = None
    end_reason: str = ""


@dataclass(slots=True)
class Service:
    kind: str
    started_on: datetime.date
    ended_on: datetime.date | None
    status: str


@dataclass(slots=True)
class Hir:
    on: datetime.date
    is_safe: bool
    findings: str
    recommendation: str


@dataclass(slots=True)
class Return:
    """Repatriation home (safe HIR): recorded when the steps start, dated when the survivor went home."""

    started_on: datetime.date
    repatriated_on: datetime.date | None
    cross_border: bool
    steps: tuple[str, ...]
    permit: str
    permit_expires_on: datetime.date | None
    escort: str


@dataclass(slots=True)
class Placement:
    placed_on: datetime.date
    plan_kind: str
    plan: str


@dataclass(slots=True)
class Visit:
    due_on: datetime.date
    visited_on: datetime.date | None
    mode: str
    outcome: str
    risk_signs: str


@dataclass(slots=True)
class FollowUp:
    starts_on: datetime.date
    ends_on: datetime.date
    visits: list[Visit]
    ended_early_on: datetime.date | None = None
    end_reason: str = ""


@dataclass(slots=True)
class Claim:
    applied_on: datetime.date
    amount_claimed: int
    status: str
    decided_on: datetime.date | None = None
    amount_awarded: int | None = None
    paid_on: datetime.date | None = None


@dataclass(slots=True)
class Consent:
    given_on: datetime.date
    basis: str
    response: str
    prompts: tuple[str, ...]


@dataclass(slots=True)
class SurvivorStory:
    index: int  # position in spec.survivors
    minor: bool
    consent: Consent | None = None
    rescued: bool = False
    cwc: Cwc | None = None
    stays: list[Stay] = field(default_factory=list)
    services: list[Service] = field(default_factory=list)
    care_plan_on: datetime.date | None = None
    care_goal: str = ""
    rehabilitation_on: datetime.date | None = None  # the stage moves when the first care is recorded
    hir: Hir | None = None
    repatriation: Return | None = None
    placement: Placement | None = None
    reintegrated_on: datetime.date | None = None
    follow_up: FollowUp | None = None
    closed_on: datetime.date | None = None
    claim: Claim | None = None


@dataclass(slots=True)
class Accused:
    index: int  # position in spec.suspects
    recorded_on: datetime.date
    arrested_on: datetime.date | None
    bail_status: str
    bail_on: datetime.date | None
    chargesheet_on: datetime.date | None
    verdict: tuple[datetime.date, str, float | None, int | None] | None = None  # on, result, years, fine


@dataclass(slots=True)
class Prosecution:
    fir_on: datetime.date  # the registered FIR's date (intake or late)
    late_fir: bool  # registered after intake (recorded through do_record_fir)
    charges_on: datetime.date
    offences: tuple[str, ...]
    accused: list[Accused]
    hearings: list[tuple[datetime.date, str, str]]  # held on, purpose, outcome


@dataclass(slots=True)
class Story:
    rescue_on: datetime.date | None
    rescue_checklist: tuple[str, ...]
    rescue_needs: str
    survivors: list[SurvivorStory]
    prosecution: Prosecution | None
    # Fates of the referrals (proposed at report, then others), drawn up front, used in order by the writer:
    # (days until sent, state reached, days until answered, days until completed)
    referral_fates: list[tuple[int, str, int, int]]
    closed: tuple[datetime.date, str, str] | None = None  # on, outcome, reason
    manual_done: float = 0.0  # share of manual-closing tasks marked done once their time is past


_NEEDS = ("Medical check-up, counselling and clothes; one survivor needs an interpreter.",
          "Shelter for the night, medical examination, family tracing.",
          "Counselling and a safe place; the younger ones are frightened of the police.",
          "Medical care for injuries, legal aid for statements.")
_GOALS = ("Return to school and live with her family", "Vocational training in tailoring and a job",
          "Complete class 10 through open schooling", "Training as a beautician and a small business",
          "Safe return home and counselling for the family", "Employment in hospitality with a partner employer")
_FINDINGS = ("Family traced and visited; parents willing to receive her; village head supportive.",
             "Home visited; mother supportive, father away for work; no contact with the recruiter found.",
             "Family visited; an uncle is suspected of involvement in the recruitment.",
             "House destroyed in floods; family living in a relief camp.")
_RECOMMEND_SAFE = ("Restoration to the family with follow-up.", "Repatriation with counselling for the family.")
_RECOMMEND_UNSAFE = ("Not safe to return: long-term placement recommended.",
                     "Placement with the social welfare department until the family situation changes.")
_PLANS = {PlacementPlan.VOCATIONAL_TRAINING: "Tailoring course, then placement through the livelihood programme.",
          PlacementPlan.EDUCATION: "Admission to a residential school; counselling continues.",
          PlacementPlan.EMPLOYMENT: "Job with a partner employer; hostel arranged."}
_RISKS = ("", "", "", "Recruiter seen in the village again.", "Family under pressure to send her back to work.",
          "Dropped out of school.")
_HEARING_OUTCOMES = {
    HearingPurpose.COGNIZANCE: "Cognizance taken.", HearingPurpose.BAIL: "Bail application heard.",
    HearingPurpose.CHARGES: "Charges framed.", HearingPurpose.EVIDENCE: "Prosecution witnesses examined.",
    HearingPurpose.VICTIM_TESTIMONY: "Survivor's testimony recorded (in camera, by video link).",
    HearingPurpose.ARGUMENTS: "Arguments heard.", HearingPurpose.JUDGMENT: "Judgment pronounced.",
}
_ACQUITTAL_REASONS = ("Witnesses turned hostile; the accused were acquitted.",
                      "The survivor could not be traced to testify; acquittal.")


def _lognormal_days(rng: random.Random, *, median: float, sigma: float, cap: float) -> int:
    return max(1, int(min(cap, median * math.exp(rng.gauss(0.0, sigma)))))


class _Teller:
    def __init__(self, *, spec: CaseSpec, rng: random.Random, anchor: datetime.date) -> None:
        self.spec, self.rng, self.anchor = spec, rng, anchor
        self.day = spec.reported_on

    def past(self, day: datetime.date | None) -> datetime.date | None:
        """The day if it is before the anchor, else None (it has not happened yet)."""
        return day if day is not None and day < self.anchor else None

    def after(self, day: datetime.date, low: int, high: int) -> datetime.date:
        return day + datetime.timedelta(days=self.rng.randint(low, high))

    # --- survivors ---------------------------------------------------------------------------------------

    def consent(self, minor: bool) -> Consent | None:
        day = self.past(self.after(self.day, 0, 3))
        if day is None or self.rng.random() < 0.05:
            return None
        r = self.rng.random()
        basis = (ConsentBasis.GUARDIAN if r < 0.6 else ConsentBasis.CWC_DECISION) if minor else ConsentBasis.SURVIVOR
        response = ConsentResponse.REFUSED if r > 0.95 else ConsentResponse.CONSENTED
        prompts: tuple[str, ...] = ("purpose", "uses", "access_right", "retention", "withdrawal")
        if self.rng.random() < 0.5:
            prompts = (*prompts, "research")
        return Consent(given_on=day, basis=basis, response=response, prompts=prompts)

    def survivor(self, index: int, person: PersonSpec, *, rescue_on: datetime.date | None) -> SurvivorStory:
        rng = self.rng
        age = person.age_on(self.day)
        minor = age is not None and age < 18
        story = SurvivorStory(index=index, minor=minor, consent=self.consent(minor))
        if rescue_on is None:
            return story
        story.rescued = True
        if minor:
            hours = rng.choice((6, 10, 18, 20, 22, 23, 30, 40)) if rng.random() < 0.9 else rng.randint(48, 120)
            produced = rescue_on + datetime.timedelta(days=hours // 24)
            if self.past(produced):
                ordered = self.past(self.after(produced, 20, 150))
                outcome = CwcOutcome.PENDING
                if ordered is not None:
                    outcome = rng.choice((CwcOutcome.CHILD_CARE_INSTITUTION, CwcOutcome.RESTORATION,
                                          CwcOutcome.RESTORATION, CwcOutcome.FIT_FACILITY))
                story.cwc = Cwc(produced_on=produced, hours_after_rescue=hours, outcome=outcome, ordered_on=ordered)
        admitted = self.past(self.after(rescue_on, 0, 2))
        if admitted is None:
            return story
        stay = Stay(government=rng.random() < 0.7, admitted_on=admitted)
        story.stays.append(stay)
        if rng.random() < 0.15:
            moved = self.past(self.after(admitted, 10, 90))
            if moved is not None:
                stay.ended_on, stay.end_reason = moved, "transfer"
                story.stays.append(Stay(government=not stay.government, admitted_on=moved))
        story.rehabilitation_on = admitted
        for kind, share in ((ServiceKind.MEDICAL, 0.85), (ServiceKind.COUNSELLING, 0.7),
                            (ServiceKind.LEGAL_AID, 0.4), (ServiceKind.FAMILY_CONTACT, 0.5),
                            (ServiceKind.EDUCATION if minor else ServiceKind.VOCATIONAL_TRAINING, 0.35),
                            (ServiceKind.DOCUMENTS, 0.6 if self.spec.cross_border else 0.1)):
            if rng.random() < share:
                start = self.past(self.after(admitted, 0, 30 if kind != ServiceKind.MEDICAL else 1))
                if start is not None:
                    end = self.past(self.after(start, 7, 180))
                    status = (ServiceStatus.DECLINED if rng.random() < 0.05 else
                              ServiceStatus.COMPLETED if end is not None else ServiceStatus.ONGOING)
                    story.services.append(Service(kind=kind, started_on=start,
                                                  ended_on=end if status == ServiceStatus.COMPLETED else None,
                                                  status=status))
        if rng.random() < 0.85:
            story.care_plan_on = self.past(self.after(admitted, 3, 20))
            story.care_goal = rng.choice(_GOALS)
        hir_on = self.past(admitted + datetime.timedelta(days=_lognormal_days(rng, median=45, sigma=0.6, cap=300)))
        if hir_on is None:
            return story
        safe = rng.random() < SAFE_HOME_SHARE
        story.hir = Hir(on=hir_on, is_safe=safe, findings=rng.choice(_FINDINGS[:2] if safe else _FINDINGS[2:]),
                        recommendation=rng.choice(_RECOMMEND_SAFE if safe else _RECOMMEND_UNSAFE))
        if safe:
            cross = self.spec.cross_border and (person.citizenship[:1] != ("IN",)
                                                or not self.spec.destination.code.startswith("IN"))
            median, cap = (300.0, 1460.0) if cross else (25.0, 200.0)
            took = _lognormal_days(rng, median=median, sigma=0.7 if cross else 0.5, cap=cap)
            went = self.past(hir_on + datetime.timedelta(days=took))
            steps: tuple[str, ...] = ()
            permit, expires = "", None
            if cross:
                keys = list(CROSS_BORDER_STEPS)
                done = len(keys) if went else rng.randint(1, len(keys) - 2)
                steps = tuple(keys[:done])
                if "travel_permit_issued" in steps:
                    permit = f"TP-{rng.randint(10000, 99999)}"
                    expires = (went or self.anchor) + datetime.timedelta(days=rng.randint(-20, 60))
            escort = rng.choice(("Case worker and woman constable", "Shelter staff", "Partner NGO escort",
                                 "Police escort"))
            story.repatriation = Return(started_on=self.after(hir_on, 0, 5) if not went else hir_on,
                                        repatriated_on=went, cross_border=cross, steps=steps, permit=permit,
                                        permit_expires_on=expires, escort=escort)
            if story.repatriation.started_on >= self.anchor:
                story.repatriation.started_on = hir_on
            settled = went
        else:
            placed = self.past(self.after(hir_on, 7, 60))
            if placed is not None:
                plan = rng.choice(list(_PLANS)) if not minor else PlacementPlan.EDUCATION
                story.placement = Placement(placed_on=placed, plan_kind=plan, plan=_PLANS[plan])
            settled = placed
        for stay_row in story.stays:
            if stay_row.ended_on is None and settled is not None:
                stay_row.ended_on, stay_row.end_reason = settled, "discharge"
        if settled is None:
            return story
        if minor and (story.cwc is None or story.cwc.ordered_on is None or story.cwc.ordered_on > settled):
            if story.cwc is None or story.cwc.outcome == CwcOutcome.PENDING or story.cwc.ordered_on is None:
                return story  # a child is re-integrated only on a CWC order
            settled = story.cwc.ordered_on
        story.reintegrated_on = settled
        ends = add_months(settled, FOLLOW_UP_LENGTH_MONTHS)
        visits = []
        ended_early = None
        for months in FOLLOW_UP_MONTHS:  # the pathway schedules every visit at re-integration
            due = add_months(settled, months)
            visited = None
            mode = result = risk = ""
            if due < self.anchor and ended_early is None and rng.random() < 0.82:
                visited = min(self.after(due, -3, 5), self.anchor - _ONE_DAY)
                mode = rng.choice((VisitMode.HOME_VISIT, VisitMode.HOME_VISIT, VisitMode.PHONE,
                                   VisitMode.MEETING_ELSEWHERE, VisitMode.THROUGH_PARTNER))
                result = rng.choices((VisitOutcome.WELL, VisitOutcome.NEEDS_SUPPORT, VisitOutcome.AT_RISK,
                                       VisitOutcome.NOT_REACHED), weights=(70, 18, 6, 6))[0]
                risk = rng.choice(_RISKS) if result == VisitOutcome.AT_RISK else ""
            visits.append(Visit(due_on=due, visited_on=visited, mode=mode, outcome=result, risk_signs=risk))
            if ended_early is None and due < self.anchor and months >= 6 and rng.random() < 0.03:
                ended_early = self.past(self.after(due, 1, 20))
        story.follow_up = FollowUp(starts_on=settled, ends_on=ends, visits=visits, ended_early_on=ended_early,
                                   end_reason="Moved away; lost contact with the family." if ended_early else "")
        over = ended_early or (ends if ends < self.anchor else None)
        if over is not None:
            story.closed_on = self.past(self.after(over, 0, 30))
        return story

    def claim(self, story: SurvivorStory, *, convicted_on: datetime.date | None) -> None:
        rng = self.rng
        base = convicted_on or story.rehabilitation_on
        if base is None or rng.random() >= (0.5 if convicted_on else CLAIM_SHARE):
            return
        applied = self.past(self.after(base, 10, 120))
        if applied is None:
            return
        amount = rng.choice((100000, 200000, 300000, 400000))
        claim = Claim(applied_on=applied, amount_claimed=amount, status=ClaimStatus.APPLIED)
        decided = self.past(self.after(applied, 40, 400))
        if decided is not None:
            if rng.random() < CLAIM_PAID_SHARE:
                claim.status, claim.decided_on, claim.amount_awarded = ClaimStatus.AWARDED, decided, amount // 2
                paid = self.past(self.after(decided, 20, 200))
                if paid is not None:
                    claim.status, claim.paid_on = ClaimStatus.PAID, paid
            elif rng.random() < 0.3:
                claim.status, claim.decided_on = ClaimStatus.REJECTED, decided
        story.claim = claim

    # --- prosecution ---------------------------------------------------------------------------------------

    def prosecution(self, *, minors: int, adults: int) -> Prosecution | None:
        rng, spec = self.rng, self.spec
        late = False
        if spec.fir is not None:
            fir_on = spec.fir.registered_on
        elif rng.random() < LATE_FIR_SHARE and (late_on := self.past(self.after(self.day, 2, 60))) is not None:
            fir_on, late = late_on, True
        else:
            return None
        charges_on = self.past(self.after(fir_on, 1, 20))
        if charges_on is None:
            return Prosecution(fir_on=fir_on, late_fir=late, charges_on=fir_on, offences=(), accused=[],
                               hearings=[])
        bns = fir_on >= BNS_IN_FORCE
        count = minors + adults
        if bns:
            main = ("BNS-143(5)" if minors > 1 else "BNS-143(4)" if minors else
                    "BNS-143(3)" if count > 1 else "BNS-143(2)")
            extra = ["BNS-144"]
            if minors and "SexualExploitation" in spec.exploitation_types:
                extra += ["BNS-98", "POCSO-6"]
        else:
            main = "IPC-370"
            extra = ["IPC-370A"]
            if minors and "SexualExploitation" in spec.exploitation_types:
                extra += ["IPC-372", "POCSO-6"]
        if "SexualExploitation" in spec.exploitation_types:
            extra += ["ITPA-5"]
        if "ForcedLabour" in spec.exploitation_types:
            extra += ["BLSA-16"]
        offences = (main, *sorted({o for o in extra if rng.random() < 0.6}))
        accused: list[Accused] = []
        for index in range(len(spec.suspects)):
            if rng.random() >= 0.8:
                continue
            recorded = self.past(self.after(charges_on, 0, 10))
            if recorded is None:
                continue
            arrested = self.past(self.after(recorded, 0, 60)) if rng.random() < 0.7 else None
            bail, bail_on = BailStatus.NOT_ARRESTED, None
            if arrested is not None:
                bail = BailStatus.IN_CUSTODY
                bail_on = self.past(self.after(arrested, 30, 200))
                if bail_on is not None and rng.random() < 0.6:
                    bail = BailStatus.ON_BAIL
                else:
                    bail_on = None
            elif rng.random() < 0.3:
                bail = BailStatus.ABSCONDING
            sheet = None
            if rng.random() < CHARGESHEET_SHARE:
                sheet = self.past(self.after(arrested or recorded, 20, 110))
            accused.append(Accused(index=index, recorded_on=recorded, arrested_on=arrested, bail_status=bail,
                                   bail_on=bail_on, chargesheet_on=sheet))
        hearings: list[tuple[datetime.date, str, str]] = []
        sheets = [a.chargesheet_on for a in accused if a.chargesheet_on is not None]
        if sheets:
            day = self.after(min(sheets), 15, 60)
            trial_days = _lognormal_days(rng, median=900, sigma=0.5, cap=3000)
            verdict_on = day + datetime.timedelta(days=trial_days)
            purposes = [HearingPurpose.COGNIZANCE, HearingPurpose.CHARGES, HearingPurpose.EVIDENCE,
                        HearingPurpose.VICTIM_TESTIMONY, HearingPurpose.EVIDENCE, HearingPurpose.ARGUMENTS]
            step = max(20, trial_days // (len(purposes) + 1))
            for purpose in purposes:
                if day >= self.anchor or day >= verdict_on:
                    break
                hearings.append((day, purpose, _HEARING_OUTCOMES[purpose]))
                day = day + datetime.timedelta(days=rng.randint(step // 2, step * 3 // 2))
            if verdict_on < self.anchor:
                hearings.append((verdict_on, HearingPurpose.JUDGMENT, _HEARING_OUTCOMES[HearingPurpose.JUDGMENT]))
                convicted = rng.random() < CONVICTION_SHARE
                for a in accused:
                    if a.chargesheet_on is None:
                        continue
                    if convicted:
                        years = float(rng.choice((7, 10, 10, 12, 14)))
                        a.verdict = (verdict_on, VerdictResult.CONVICTED, years, rng.choice((10000, 25000, 50000)))
                    else:
                        result = VerdictResult.ACQUITTED if rng.random() < 0.9 else VerdictResult.DISCHARGED
                        a.verdict = (verdict_on, result, None, None)
        return Prosecution(fir_on=fir_on, late_fir=late, charges_on=charges_on, offences=offences, accused=accused,
                           hearings=hearings)

    # --- the case --------------------------------------------------------------------------------------------

    def tell(self) -> Story:
        rng, spec = self.rng, self.spec
        rescue_on = None
        if rng.random() < RESCUE_SHARE:
            rescue_on = self.past(self.after(self.day, 0, 21))
        checklist = tuple(k for k in PRE_RESCUE_CHECKLIST if rng.random() < 0.8)
        survivors = [self.survivor(i, p, rescue_on=rescue_on) for i, p in enumerate(spec.survivors)]
        minors = sum(s.minor for s in survivors)
        prosecution = self.prosecution(minors=minors, adults=len(survivors) - minors)
        convicted_on = None
        verdicts = [a.verdict for a in prosecution.accused if a.verdict] if prosecution else []
        if any(v[1] == VerdictResult.CONVICTED for v in verdicts):
            convicted_on = verdicts[0][0]
        for s in survivors:
            self.claim(s, convicted_on=convicted_on)
        fates = []
        for _ in range(12):
            r = rng.random()
            state = ("proposed" if r < 0.1 else "withdrawn" if r < 0.13 else "sent" if r < 0.25
                     else "declined" if r < 0.35 else "accepted" if r < 0.75 else "completed")
            fates.append((rng.randint(0, 6), state, rng.randint(1, 20), rng.randint(30, 400)))
        story = Story(rescue_on=rescue_on, rescue_checklist=checklist, rescue_needs=rng.choice(_NEEDS),
                      survivors=survivors, prosecution=prosecution, referral_fates=fates,
                      manual_done=rng.choice((0.5, 0.7, 0.9)))
        story.closed = self.closure(story, verdicts=verdicts)
        return story

    def closure(self, story: Story, *, verdicts: list[tuple[datetime.date, str, float | None, int | None]],
                ) -> tuple[datetime.date, str, str] | None:
        rng = self.rng
        ends = [s.closed_on for s in story.survivors]
        if verdicts:
            decided = max(v[0] for v in verdicts)
            on = self.past(self.after(max([decided, *(e for e in ends if e)]), 5, 60))
            if on is None or not all(ends):
                return None
            if any(v[1] == VerdictResult.CONVICTED for v in verdicts):
                return on, ClosureOutcome.CONVICTION, ""
            return on, ClosureOutcome.ACQUITTAL, rng.choice(_ACQUITTAL_REASONS)
        no_accused = story.prosecution is None or not story.prosecution.accused
        if all(ends) and ends and no_accused and rng.random() < 0.7:
            on = self.past(self.after(max(e for e in ends if e), 5, 90))
            if on is not None:
                return on, ClosureOutcome.NO_PROSECUTION, "No accused identified; survivors re-integrated."
        if story.rescue_on is None and (self.anchor - self.day).days > 400 and rng.random() < 0.3:
            on = self.past(self.after(self.day, 60, 300))
            if on is not None:
                return on, ClosureOutcome.SURVIVOR_WITHDREW, "The family withdrew the complaint."
        return None


def tell(spec: CaseSpec, *, rng: random.Random, anchor: datetime.date) -> Story:
    """The story of the case in `spec` up to the day before `anchor`, drawn from `rng`."""
    return _Teller(spec=spec, rng=rng, anchor=anchor).tell()
