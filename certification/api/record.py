"""`GET /api/v1/cases/{id}/record/`: the whole record of a case (certification/selectors/
record.py), the same reads as the case page. Mixed into the case view set, so that it is
open to whoever may see the case: the agency, the case's auditors and reviewers."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from certification.selectors.record import audits_under_way, case_record


class EvidenceItemSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="download: GET /api/v1/evidence/{id}/file/")
    name = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    sha256 = serializers.CharField()
    uploaded_by = serializers.CharField()
    uploaded_at = serializers.DateTimeField()


class RecordAnswerSerializer(serializers.Serializer):
    question = serializers.CharField()
    criterion = serializers.CharField()
    text = serializers.CharField()
    value = serializers.JSONField(allow_null=True)
    shown = serializers.CharField(help_text="the value in words")
    status = serializers.CharField(allow_null=True)
    reasons = serializers.ListField(child=serializers.DictField())
    evidence = EvidenceItemSerializer(many=True)


class RecordWorkerCostSerializer(serializers.Serializer):
    category = serializers.CharField()
    amount = serializers.CharField()
    currency = serializers.CharField()
    borne_by = serializers.CharField()
    route = serializers.CharField()


class RecordCorrectiveActionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    state = serializers.CharField()
    severity = serializers.CharField()
    root_cause = serializers.CharField()
    action = serializers.CharField()
    plan_due = serializers.DateField()
    closure_due = serializers.DateField(allow_null=True)
    rejection_reason = serializers.CharField()
    acceptance_note = serializers.CharField()
    verification_note = serializers.CharField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    accepted_at = serializers.DateTimeField(allow_null=True)
    verified_at = serializers.DateTimeField(allow_null=True)
    evidence = EvidenceItemSerializer(many=True)


class RecordFindingSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    criterion = serializers.CharField()
    criterion_text = serializers.CharField()
    zero_tolerance = serializers.BooleanField()
    grade = serializers.CharField(help_text="as the auditor entered it")
    effective_grade = serializers.CharField(help_text="as the engine counts it")
    grade_in_words = serializers.CharField()
    indicators = serializers.ListField(child=serializers.CharField())
    text = serializers.CharField()
    recorded_by = serializers.CharField()
    evidence = EvidenceItemSerializer(many=True)
    corrective_action = RecordCorrectiveActionSerializer(allow_null=True)


class RecordAuditSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    state = serializers.CharField()
    lead_auditor = serializers.CharField()
    stage1_date = serializers.DateField(allow_null=True)
    stage2_date = serializers.DateField(allow_null=True)
    completed_at = serializers.DateTimeField(allow_null=True)
    overall_conformity = serializers.FloatField(allow_null=True)
    discrepancies = serializers.ListField(child=serializers.DictField(), allow_null=True)
    findings = RecordFindingSerializer(many=True)


class ToConfirmSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="list it in `confirmations` when certifying")
    kind = serializers.ChoiceField(choices=["zero_tolerance", "forced_labour", "worker_costs"])
    what = serializers.CharField()


class CaseRecordSerializer(serializers.Serializer):
    case = serializers.IntegerField(source="case_id")
    submitted_at = serializers.DateTimeField(allow_null=True)
    result = serializers.DictField(help_text="the self-assessment's result (docs/scoring.md)")
    answers = RecordAnswerSerializer(many=True)
    worker_costs = RecordWorkerCostSerializer(many=True)
    worker_costs_borne = serializers.ListField(
        child=serializers.IntegerField(), help_text="positions of the costs a worker bore"
    )
    audits = RecordAuditSerializer(
        many=True,
        help_text="newest first, cancelled ones included; audits under way only for their "
        "auditor and reviewers",
    )
    to_confirm = ToConfirmSerializer(
        many=True, help_text="what the reviewer confirms as remediated to certify"
    )


class CaseRecordActions:
    @extend_schema(responses={200: CaseRecordSerializer})
    @action(detail=True, methods=["get"])
    def record(self, request, pk=None):
        """Everything the decision rests on: answers with their status, reasons and
        evidence, worker costs, every audit's findings with their corrective actions and
        evidence, the discrepancies, and what must be confirmed to certify."""
        case = self.get_object()
        record = case_record(case, audits_under_way=audits_under_way(self.access().roles(case)))
        return Response(CaseRecordSerializer(record).data)
