from icmc.audit.models import AuditEvent
from tests.factories import report_case


def test_report_case_gives_reference_and_one_audit_event(world):
    before = AuditEvent.objects.count()
    case = report_case(world, ahtu_source=None)
    assert case.reference.startswith("ML-")
    assert AuditEvent.objects.count() == before + 1
