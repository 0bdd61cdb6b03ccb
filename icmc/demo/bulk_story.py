"""The bulk writer's rows of a case's story (icmc.demo.story): what the actions of the pathway, prosecution,
referral, consent and task tracks would have left, each with the audit event its action records, dated when it
happened; the survivors' stages and the case's derived stage and closure; the deadline tasks the rules open, closed
by the events that fulfil them."""


from __future__ import annotations

import datetime
from typing import Any

from icmc.accounts.models import Membership, Organisation
from icmc.accounts.reference import OrganisationKind
from icmc.cases.codes import CaseStage, CaseStatus
from icmc.cases.models import (
    Case,
)
from icmc.deadlines.events import SEXUAL_OFFENCES, is_serious, start_of_day
from icmc.deadlines.models import Task, TaskState
from icmc.demo.bulk_case import (
    _COMPLETE,
    _DECLINE,
    _SCHEME,
    _STAGE_ORDER,
    CaseWriter,
    ReportBuilder,
    RescuePartner,
    _stable,
)
from icmc.demo.story import Story, SurvivorStory
from icmc.pathway import models as pm
from icmc.pathway.codes import ServiceKind
from icmc.prosecution import models as xm
from icmc.referrals.codes import ConsentResponse, ReferralPurpose, ReferralState
from icmc.referrals.models import Consent, Referral, ReferralTransition
from icmc.referrals.sharing import SHARES


class StoryBuilder(ReportBuilder):
    """Writes a spec's story after its report (a spec without a story gets the report's tasks only)."""

    def after_report(self, w: CaseWriter, facts: dict[str, Any]) -> None:
        if w.spec.story is None:
            self._report_tasks(w, facts)
        else:
            self.story(w, w.spec.story, facts)

    def story(self, w: CaseWriter, story: Story, facts: dict[str, Any]) -> None:
        spec, d = w.spec, self.directory
        owner = w.centre.organisation
        state = owner.jurisdiction.state_id or spec.state
        parties: list[str] = facts["survivors"]
        cm = w.cm
        police: Organisation = facts["police"]
        lead = facts["destination_ahtu"] or facts["source_ahtu"] or d.ahtus_by_state.get(state)
        officer = d.members.get(lead.id) if lead is not None else None
        recorder = officer if officer is not None and officer.role == "ahtu_officer" else cm
        pros = story.prosecution
        fir_day = pros.fir_on if pros else None
        serious = bool(pros and any(is_serious(d.offences[o]) for o in pros.offences))
        stage_log: list[tuple[datetime.datetime, int, str]] = []  # (when, survivor, stage)

        # Consents (before any referral is sent), one per survivor.
        consents: dict[int, tuple[list[Any], SurvivorStory]] = {}
        purposes = sorted({p for p in ReferralPurpose.values})
        for s in story.survivors:
            if s.consent is None:
                continue
            c = s.consent
            at = w.moment(c.given_on, 10)
            row = w.row(Consent, at=at, case_id=w.id, party_id=parties[s.index], basis=c.basis,
                        response=c.response, prompts_explained=list(c.prompts), purposes=purposes, reason="",
                        given_on=c.given_on, recorded_by_id=cm.user_id, organisation_id=owner.id)
            consents[s.index] = (row, s)
            w.event(cm, at, "consent.recorded", "consent", row[0],
                    ("party", "basis", "response", "prompts_explained", "purposes", "reason", "given_on"),
                    basis=c.basis, response=c.response, purposes=purposes, prompts_explained=sorted(c.prompts))
        fates = iter(story.referral_fates)

        def sendable(purpose: str, party_index: int | None) -> list[Any] | None:
            """The consents a referral is sent on, or None when a shared survivor has none covering it."""
            if not SHARES[purpose].identity:
                return []
            shared = [party_index] if party_index is not None else [s.index for s in story.survivors]
            found = []
            for i in shared:
                entry = consents.get(i)
                if entry is None or entry[1].consent is None or entry[1].consent.response != ConsentResponse.CONSENTED:
                    return None
                found.append(entry[0])
            return found

        def refer(referral: list[Any], to: Organisation, *, from_day: datetime.date,
                  party_index: int | None, last: datetime.date | None = None) -> None:
            fate = next(fates, (2, ReferralState.ACCEPTED, 5, 90))
            send_day = from_day + datetime.timedelta(days=fate[0])
            rt = self.batch.table(Referral)
            purpose = rt.get(referral, "purpose")
            found = sendable(purpose, party_index)
            if fate[1] == ReferralState.PROPOSED or found is None or send_day >= self.now.date():
                return
            if to.jurisdiction_id.split("-")[0] != owner.jurisdiction_id.split("-")[0]:
                return  # a cross-border referral is sent only on a two-person approval (icmc.privacy): not made here
            consent_day = max((entry[1].consent.given_on for entry in consents.values() if entry[1].consent),
                              default=from_day)
            send_day = max(send_day, consent_day)
            steps: list[tuple[datetime.datetime, str, str, Membership, str]] = []
            at = w.moment(send_day, 12)
            steps.append((at, ReferralState.PROPOSED, ReferralState.SENT, cm, ""))
            receiver = d.members.get(to.id)
            state = fate[1]
            if state == ReferralState.WITHDRAWN:
                steps.append((at + datetime.timedelta(days=fate[2]), ReferralState.SENT, ReferralState.WITHDRAWN, cm,
                              "Survivor already helped by another organisation."))
            elif state != ReferralState.SENT and receiver is not None:
                answer = at + datetime.timedelta(days=fate[2])
                if state == ReferralState.DECLINED:
                    steps.append((answer, ReferralState.SENT, ReferralState.DECLINED, receiver,
                                  _DECLINE[fate[2] % len(_DECLINE)]))
                else:
                    steps.append((answer, ReferralState.SENT, ReferralState.ACCEPTED, receiver, ""))
                    done = answer + datetime.timedelta(days=fate[3])
                    if last is not None:
                        done = max(answer, w.moment(last, 15))
                    if state == ReferralState.COMPLETED or last is not None:
                        steps.append((done, ReferralState.ACCEPTED, ReferralState.COMPLETED, receiver,
                                      _COMPLETE[fate[3] % len(_COMPLETE)]))
            for when, source, target, actor, message in steps:
                if when >= self.now:
                    break
                w.row(ReferralTransition, at=when, referral_id=referral[0], from_state=source, to_state=target,
                      actor_id=actor.user_id, membership_id=actor.id, organisation_id=actor.organisation_id,
                      message=message)
                details: dict[str, Any] = {"purpose": purpose, "from_state": source}
                if target == ReferralState.SENT:
                    rt.set(referral, consent_ids=[str(c[0]) for c in found])
                    details["consent_bases"] = sorted({self.batch.table(Consent).get(c, "basis") for c in found})
                rt.set(referral, state=target, version=rt.get(referral, "version") + 1, updated_at=when)
                w.event(actor, when, f"referral.{target}", "referral", referral[0], ("state", "message"), **details)

        day0 = spec.reported_on
        for referral, org, _step in facts["referrals"]:
            refer(referral, org, from_day=day0, party_index=None)

        def propose(to: Organisation | None, purpose: str, party_index: int, day: datetime.date,
                    last: datetime.date | None = None) -> None:
            if to is None or to.id == owner.id:
                return
            at = w.moment(day, 9)
            referral = w.row(Referral, at=at, case_id=w.id, party_id=parties[party_index],
                             from_organisation_id=owner.id, to_organisation_id=to.id, purpose=purpose,
                             state=ReferralState.PROPOSED, automatic=False, consent_ids=[])
            w.row(ReferralTransition, at=at, referral_id=referral[0], from_state="", to_state=ReferralState.PROPOSED,
                  actor_id=cm.user_id, membership_id=cm.id, organisation_id=owner.id, message="")
            w.event(cm, at, "referral.proposed", "referral", referral[0],
                    ("to_organisation", "purpose", "party", "message"), purpose=purpose, to_organisation=str(to.id),
                    survivor=True)
            refer(referral, to, from_day=day, party_index=party_index, last=last)

        # The case's first registered FIR date as the tasks see it.
        if spec.fir is None:
            rep_task = self.task(w, key="fir_without_delay", at=spec.reported_at, fir_day=None, owner=owner,
                                 user_id=cm.user_id,
                                 closed=(w.moment(pros.fir_on, 16), "fir_recorded") if pros else None)
            del rep_task
        if pros is not None:
            self.prosecution(w, story, facts, recorder=recorder, police=police, serious=serious)

        # Rescue.
        if story.rescue_on is not None and lead is not None:
            rescued = [s for s in story.survivors if s.rescued]
            at = w.moment(story.rescue_on, 18)
            code = next((p.code for p in (spec.destination, spec.transit, spec.source)
                         if p is not None and p.code in d.states), spec.source.code)
            op = w.row(pm.RescueOperation, at=at, case_id=w.id, rescued_on=story.rescue_on, jurisdiction_id=code,
                       place_detail_sealed="", lead_ahtu_id=lead.id,
                       checklist=list(story.rescue_checklist), post_rescue_needs=story.rescue_needs)
            self.batch.table(RescuePartner).add(rescueoperation_id=op[0], organisation_id=owner.id)
            for s in rescued:
                w.row(pm.RescuedPerson, at=at, operation_id=op[0], party_id=parties[s.index])
                stage_log.append((at, s.index, CaseStage.RESCUED))
                minor = s.minor
                key = "cwc_production" if minor else "itpa_magistrate"
                cwc_org = d.service(OrganisationKind.CWC, state)
                closed = None
                if minor and s.cwc is not None:
                    closed = (at + datetime.timedelta(hours=s.cwc.hours_after_rescue), "cwc_produced")
                task = self.task(w, key=key, at=at, fir_day=fir_day, owner=lead, party=parties[s.index],
                                 closed=closed)
                if not minor:
                    self.manual(w, task, story, actor=recorder if recorder.organisation_id == lead.id else None)
                if minor and s.cwc is not None and cwc_org is not None:
                    self.cwc(w, s, parties[s.index], at=at, cwc_org=cwc_org, fir_day=fir_day, story=story)
            w.event(recorder, at, "rescue_operation.recorded", "rescue_operation", op[0],
                    ("rescued_on", "jurisdiction", "place_detail", "lead_ahtu", "partner_organisations", "checklist",
                     "post_rescue_needs", "survivors"), persons_rescued=len(rescued), stage_changes=len(rescued))

        for s in story.survivors:
            self.pathway(w, s, parties[s.index], stage_log=stage_log, state=state, propose=propose, story=story)

        self.stages(w, story, facts, stage_log)

    def cwc(self, w: CaseWriter, s: SurvivorStory, party: str, *, at: datetime.datetime,
            cwc_org: Organisation, fir_day: datetime.date | None, story: Story) -> None:
        assert s.cwc is not None
        produced = w.clamp(at + datetime.timedelta(hours=s.cwc.hours_after_rescue))
        ordered = w.moment(s.cwc.ordered_on, 15) if s.cwc.ordered_on else None
        row = w.row(pm.CwcProduction, at=produced, version=2 if ordered else 1, updated=ordered or produced,
                    party_id=party, produced_at=produced, cwc_id=cwc_org.id, outcome=s.cwc.outcome,
                    order_text="Order passed after the social investigation report." if ordered else "")
        w.event(w.cm, produced, "cwc_production.recorded", "cwc_production", row[0],
                ("produced_at", "cwc", "outcome", "order_text", "party"))
        sir = self.task(w, key="social_investigation", at=produced, fir_day=fir_day, owner=cwc_org, party=party,
                        source_id=row[0])
        self.manual(w, sir, story, actor=self.directory.members.get(cwc_org.id))
        self.task(w, key="cwc_final_order", at=produced, fir_day=fir_day, owner=cwc_org, party=party,
                  source_id=row[0], closed=(ordered, "cwc_ordered") if ordered else None)
        if ordered is not None:
            w.event(w.cm, ordered, "cwc_production.corrected", "cwc_production", row[0], ("outcome", "order_text"))

    def pathway(self, w: CaseWriter, s: SurvivorStory, party: str, *, stage_log: list[Any], state: str,
                propose: Any, story: Story) -> None:
        d, cm = self.directory, w.cm
        owner = w.centre.organisation
        shelter_ids = []
        for number, stay in enumerate(s.stays):
            kind = OrganisationKind.SHELTER_GOVERNMENT if stay.government else OrganisationKind.SHELTER_NGO
            shelter = d.service(kind, state) or d.service(OrganisationKind.SHELTER_GOVERNMENT, state)
            if shelter is None:
                continue
            at = w.moment(stay.admitted_on, 14)
            ended = w.moment(stay.ended_on, 10) if stay.ended_on else None
            row = w.row(pm.ShelterStay, at=at, version=2 if ended else 1, updated=ended or at, party_id=party,
                        shelter_id=shelter.id, admitted_on=stay.admitted_on,
                        reason_not_government="" if shelter.is_government else
                        "No place in the government home; the survivor asked to stay near her sister.",
                        ended_on=stay.ended_on, end_reason=stay.end_reason)
            shelter_ids.append(row[0])
            w.event(cm, at, "shelter_stay.recorded", "shelter_stay", row[0],
                    ("shelter", "admitted_on", "reason_not_government", "party"),
                    **({"transfer": True} if number else {}))
            if ended is not None and stay.end_reason == "discharge":
                w.event(cm, ended, "shelter_stay.corrected", "shelter_stay", row[0], ("ended_on", "end_reason"))
            if number == 0:
                propose(shelter, ReferralPurpose.SHELTER, s.index, stay.admitted_on, last=stay.ended_on)
        for service in s.services:
            at = w.moment(service.started_on, 15)
            row = w.row(pm.SupportService, at=at, party_id=party, kind=service.kind, provider_id=None,
                        started_on=service.started_on, ended_on=service.ended_on, status=service.status)
            w.event(cm, at, "support_service.recorded", "support_service", row[0],
                    ("kind", "started_on", "ended_on", "status", "party"))
        if s.care_plan_on is not None:
            at = w.moment(s.care_plan_on, 16)
            row = w.row(pm.CarePlan, at=at, party_id=party, long_term_goal=s.care_goal,
                        text="Individual care plan agreed with the survivor.")
            w.event(cm, at, "care_plan.recorded", "care_plan", row[0], ("long_term_goal", "text", "party"))
        if s.rehabilitation_on is not None and (s.stays or s.services):
            stage_log.append((w.moment(s.rehabilitation_on, 17), s.index, CaseStage.REHABILITATION))
        if s.hir is not None:
            welfare = d.service(OrganisationKind.SOCIAL_WELFARE, state)
            at = w.moment(s.hir.on, 13)
            hir = w.row(pm.HomeInvestigation, at=at, party_id=party, organisation_id=(welfare or owner).id,
                        investigator_id=cm.user_id, investigated_on=s.hir.on, findings=s.hir.findings,
                        is_safe=s.hir.is_safe, recommendation=s.hir.recommendation)
            w.event(cm, at, "home_investigation.recorded", "home_investigation", hir[0],
                    ("organisation", "investigated_on", "findings", "is_safe", "recommendation", "party"))
            stage_log.append((at + datetime.timedelta(hours=1), s.index, CaseStage.REPATRIATION))
            if s.repatriation is not None:
                r = s.repatriation
                start = w.moment(r.started_on, 14)
                went = w.moment(r.repatriated_on, 12) if r.repatriated_on else None
                home = w.spec.source.code
                row = w.row(pm.Repatriation, at=start, version=2 if went else 1, updated=went or start,
                            party_id=party, home_investigation_id=hir[0], repatriated_on=r.repatriated_on,
                            escort=r.escort, destination_id=home, is_cross_border=r.cross_border,
                            steps_done=list(r.steps), travel_permit_number=r.permit,
                            travel_permit_expires_on=r.permit_expires_on)
                w.event(cm, start, "repatriation.recorded", "repatriation", row[0],
                        ("home_investigation", "destination", "is_cross_border", "steps_done", "party"))
                if went is not None:
                    w.event(cm, went, "repatriation.corrected", "repatriation", row[0],
                            ("repatriated_on", "escort", "steps_done", "travel_permit_number",
                             "travel_permit_expires_on"))
                    partner = d.service(OrganisationKind.FOREIGN_PARTNER, d.states.get(home) or "") \
                        if r.cross_border else None
                    if partner is not None:
                        propose(partner, ReferralPurpose.REPATRIATION, s.index, r.started_on, last=r.repatriated_on)
            if s.placement is not None and welfare is not None:
                p = s.placement
                at = w.moment(p.placed_on, 12)
                row = w.row(pm.LongTermPlacement, at=at, party_id=party, home_investigation_id=hir[0],
                            welfare_department_id=welfare.id, placed_on=p.placed_on, plan_kind=p.plan_kind, plan=p.plan)
                w.event(cm, at, "placement.recorded", "placement", row[0],
                        ("welfare_department", "placed_on", "plan_kind", "plan", "party"))
        if s.reintegrated_on is not None and s.follow_up is not None:
            f = s.follow_up
            at = w.moment(s.reintegrated_on, 18)
            stage_log.append((at, s.index, CaseStage.REINTEGRATION))
            ended = w.moment(f.ended_early_on, 11) if f.ended_early_on else None
            plan = w.row(pm.FollowUpPlan, at=at, version=2 if ended else 1, updated=ended or at, party_id=party,
                         starts_on=s.reintegrated_on, ends_on=f.ends_on, ended_early_on=f.ended_early_on,
                         end_reason=f.end_reason)
            for v in f.visits:
                visited = w.moment(v.visited_on, 15) if v.visited_on else None
                visit = w.row(pm.FollowUpVisit, at=at, version=2 if visited else 1, updated=visited or at,
                              plan_id=plan[0], due_on=v.due_on, visited_on=v.visited_on, mode=v.mode,
                              outcome=v.outcome, risk_signs=v.risk_signs, discreet=True)
                cancelled = ended is not None and visited is None and start_of_day(
                    v.due_on, zone=owner.time_zone) > ended
                task = self.task(w, key="follow_up_visit", at=start_of_day(v.due_on, zone=owner.time_zone),
                                 fir_day=None, owner=owner, user_id=cm.user_id, party=party, source_id=visit[0],
                                 closed=(visited, "follow_up_visited") if visited else
                                 (ended, "follow_up_ended") if cancelled and ended else None)
                if cancelled and task is not None:
                    self.batch.table(Task).set(task, state=TaskState.CANCELLED)
                if visited is not None:
                    w.event(cm, visited, "follow_up_visit.corrected", "follow_up_visit", visit[0],
                            ("visited_on", "mode", "outcome", "risk_signs"))
            if ended is not None:
                w.event(cm, ended, "follow_up_plan.corrected", "follow_up_plan", plan[0],
                        ("ended_early_on", "end_reason"))
            if s.closed_on is not None:
                stage_log.append((w.moment(s.closed_on, 17), s.index, CaseStage.CLOSED))
        if s.claim is not None:
            self.claim(w, s, party, state=state, propose=propose)

    def claim(self, w: CaseWriter, s: SurvivorStory, party: str, *, state: str, propose: Any) -> None:
        c = s.claim
        assert c is not None
        dlsa = self.directory.service(OrganisationKind.LEGAL_SERVICES, state)
        if dlsa is None:
            return
        at = w.moment(c.applied_on, 12)
        decided = w.moment(c.decided_on, 12) if c.decided_on else None
        paid = w.moment(c.paid_on, 12) if c.paid_on else None
        last = paid or decided or at
        row = w.row(pm.CompensationClaim, at=at, version=1 + bool(decided) + bool(paid), updated=last, party_id=party,
                    claimant_id=None, scheme=_SCHEME, authority_id=dlsa.id, applied_on=c.applied_on,
                    amount_claimed=c.amount_claimed, amount_awarded=c.amount_awarded,
                    awarded_on=c.decided_on if c.amount_awarded else None,
                    amount_paid=c.amount_awarded if c.paid_on else None, paid_on=c.paid_on, status=c.status)
        w.event(w.cm, at, "compensation_claim.recorded", "compensation_claim", row[0],
                ("scheme", "authority", "applied_on", "amount_claimed", "status", "party"))
        for when in (decided, paid):
            if when is not None:
                w.event(w.cm, when, "compensation_claim.corrected", "compensation_claim", row[0],
                        ("status", "amount_awarded", "awarded_on", "amount_paid", "paid_on"))
        self.task(w, key="dlsa_enquiry", at=at, fir_day=None, owner=dlsa, party=party, source_id=row[0],
                  closed=(decided, "compensation_decided") if decided else None)
        propose(dlsa, ReferralPurpose.COMPENSATION, s.index, c.applied_on, last=c.paid_on or c.decided_on)

    def prosecution(self, w: CaseWriter, story: Story, facts: dict[str, Any], *, recorder: Membership,
                    police: Organisation, serious: bool) -> None:
        pros = story.prosecution
        assert pros is not None
        fir = facts["fir"]
        spec = w.spec
        if pros.late_fir:
            station = self.directory.police_station(spec.source.code)
            at = w.moment(pros.fir_on, 16)
            fir = w.row(xm.FIR, at=at, case_id=w.id, police_station_id=station.id if station else None,
                        police_station_name="" if station else "Police Station",
                        number=f"{int(_stable(spec.index, 'fir') * 300) + 1}/{pros.fir_on.year}",
                        registered_on=pros.fir_on)
            w.event(w.cm, at, "fir.recorded", "fir", fir[0],
                    [f for f in ("police_station" if station else "police_station_name", "number", "registered_on")])
            police = self._police(fir=fir, source=facts["source_ahtu"], destination=facts["destination_ahtu"],
                                  owner=w.centre.organisation)
        fir_at = start_of_day(pros.fir_on, zone=w.centre.organisation.time_zone)
        informed = self.task(w, key="victim_informed", at=fir_at, fir_day=pros.fir_on, owner=police,
                             source_id=fir[0])
        self.manual(w, informed, story, actor=self.directory.members.get(police.id))
        if not pros.offences:
            return
        at = w.moment(pros.charges_on, 12)
        offences = self.directory.offences
        sexual = any(o in SEXUAL_OFFENCES for o in pros.offences)
        for code in pros.offences:
            charge = w.row(xm.Charge, at=at, fir_id=fir[0], offence_id=code)
            w.event(recorder, at, "charge.recorded", "charge", charge[0], ("fir", "offence"))
        sheets = sorted(a.chargesheet_on for a in pros.accused if a.chargesheet_on)
        first_sheet = (w.moment(sheets[0], 13), "chargesheet_recorded") if sheets else None
        if any(offences[o].act == "POCSO" for o in pros.offences):
            t = self.task(w, key="pocso_report_cwc", at=at, fir_day=pros.fir_on, owner=police)
            self.manual(w, t, story, actor=self.directory.members.get(police.id))
        if sexual:
            medical = self._first_medical(story)
            self.task(w, key="medical_examination", at=at, fir_day=pros.fir_on, owner=police,
                      closed=(w.moment(medical, 15), "medical_recorded") if medical else None)
            self.task(w, key="investigation_sexual", at=at, fir_day=pros.fir_on, owner=police, closed=first_sheet)
        suspects = facts["suspects"]
        for a in pros.accused:
            rec = w.moment(a.recorded_on, 13)
            last = rec
            updates = []
            if a.bail_on is not None:
                last = w.moment(a.bail_on, 13)
                updates.append(last)
            acc = w.row(xm.Accused, at=rec, version=1 + len(updates), updated=last, case_id=w.id,
                        party_id=suspects[a.index], arrested_on=a.arrested_on, bail_status=a.bail_status,
                        bail_on=a.bail_on)
            w.event(recorder, rec, "accused.recorded", "accused", acc[0], ("party", "arrested_on", "bail_status"))
            for when in updates:
                w.event(recorder, when, "accused.corrected", "accused", acc[0], ("bail_status", "bail_on"))
            if a.arrested_on is not None:
                sheet_at = w.moment(a.chargesheet_on, 13) if a.chargesheet_on else None
                self.task(w, key="chargesheet", at=start_of_day(a.arrested_on, zone=w.centre.organisation.time_zone),
                          fir_day=pros.fir_on, owner=police, source_id=acc[0], serious=serious,
                          closed=(sheet_at, "chargesheet_recorded") if sheet_at else None)
            if a.chargesheet_on is not None:
                sat = w.moment(a.chargesheet_on, 13)
                sheet = w.row(xm.Chargesheet, at=sat, accused_id=acc[0], filed_on=a.chargesheet_on,
                              number=f"CS-{int(_stable(acc[0]) * 900) + 100}/{a.chargesheet_on.year}",
                              is_supplementary=False)
                w.event(recorder, sat, "chargesheet.recorded", "chargesheet", sheet[0],
                        ("accused", "filed_on", "number"))
            if a.verdict is not None:
                on, result, years, fine = a.verdict
                vat = w.moment(on, 16)
                verdict = w.row(xm.Verdict, at=vat, accused_id=acc[0], decided_on=on, result=result,
                                sentence_years=years, fine=fine)
                w.event(w.cm, vat, "verdict.recorded", "verdict", verdict[0],
                        ("accused", "decided_on", "result", "sentence_years", "fine"))
        court = self.directory.service(OrganisationKind.COURT, w.centre.organisation.jurisdiction.state_id or "")
        for held_on, purpose, outcome in pros.hearings:
            hat = w.moment(held_on, 15)
            hearing = w.row(xm.Hearing, at=hat, case_id=w.id, held_on=held_on, court_id=court.id if court else None,
                            court_name="" if court else "Court of the Sessions Judge", purpose=purpose,
                            outcome=outcome)
            w.event(w.cm, hat, "hearing.recorded", "hearing", hearing[0], ("held_on", "court_name", "purpose",
                                                                            "outcome"))

    @staticmethod
    def _first_medical(story: Story) -> datetime.date | None:
        days = [sv.started_on for s in story.survivors for sv in s.services if sv.kind == ServiceKind.MEDICAL]
        return min(days) if days else None

    def stages(self, w: CaseWriter, story: Story, facts: dict[str, Any], stage_log: list[Any]) -> None:
        """SurvivorPathway rows, the survivor.stage_changed events, the case's derived stage and closure."""
        parties: list[str] = facts["survivors"]
        current = [CaseStage.REPORTED] * len(parties)
        changed: dict[int, tuple[datetime.datetime, int]] = {}
        case_stage = CaseStage.REPORTED
        case_version = 1
        case_updated = w.at
        closed = story.closed
        close_at = w.moment(closed[0], 17) if closed else None
        for at, index, stage in sorted(stage_log, key=lambda e: (e[0], e[1])):
            if close_at is not None and at >= close_at:
                break
            if _STAGE_ORDER.index(stage) <= _STAGE_ORDER.index(current[index]):
                continue
            source = current[index]
            current[index] = stage
            count = changed.get(index, (at, 0))[1] + 1
            changed[index] = (at, count)
            if stage != CaseStage.RESCUED:  # the rescue moves survivors inside rescue_operation.recorded
                name = {CaseStage.REHABILITATION: "start_rehabilitation", CaseStage.REPATRIATION: "start_repatriation",
                        CaseStage.REINTEGRATION: "reintegrate", CaseStage.CLOSED: "close"}[stage]
                w.event(w.cm, at, "survivor.stage_changed", "case_party", parties[index], ("stage",),
                        **{"from": source, "to": stage, "transition": name,
                           "follow_up_planned": stage == CaseStage.REINTEGRATION})
            open_stages = [s for s in current if s != CaseStage.CLOSED]
            derived = min(open_stages, key=_STAGE_ORDER.index) if open_stages else CaseStage.CLOSED
            if derived != case_stage:
                case_stage, case_version, case_updated = derived, case_version + 1, at
        for index, (at, count) in changed.items():
            w.row(pm.SurvivorPathway, at=at, version=count, party_id=parties[index], stage=current[index],
                  stage_changed_at=at)
        case_table = self.batch.table(Case)
        case = facts["case"]
        if close_at is not None and closed is not None:
            case_table.set(case, closure_outcome=closed[1], closure_reason=closed[2], closed_at=close_at,
                           status=CaseStatus.CLOSED, stage=CaseStage.CLOSED, version=case_version + 1,
                           updated_at=close_at)
            w.event(w.cm, close_at, "case.closed", "case", w.id,
                    ("status", "stage", "closure_outcome", "closure_reason", "closed_at"), outcome=closed[1])
        else:
            case_table.set(case, stage=case_stage, version=case_version, updated_at=case_updated)
