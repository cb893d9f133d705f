"""REST API (read) of individual study plans and schedules (rules 13, 20), by the application they belong to.

The student themselves, the administration service and the head read them; a teacher or tutor named on a
line of the plan reads them too (permissions.plans). Anyone else, and before the application is accepted (no
plan yet), gets 404. The schedule's iCal address is never given here: it opens the schedule without signing in."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from qashyq.core.i18n import localized
from qashyq.dlt.api_v1.fields import (
    DisciplineSerializer,
    DltTypeField,
    EntryKindField,
    OptionalDltTypeField,
    PersonSerializer,
    PlanStatusField,
)
from qashyq.dlt.permissions import plans as permissions
from qashyq.dlt.selectors import plans as selectors
from qashyq.dlt.services import schedules


class PlanLineSerializer(serializers.Serializer):
    discipline = DisciplineSerializer(source="line.discipline")
    period_number = serializers.IntegerField(source="line.period_number", help_text="The curriculum's period")
    credits = serializers.IntegerField(source="line.credits")
    cycle = serializers.CharField(help_text="In the language of the request")
    component = serializers.CharField(help_text="In the language of the request")
    final_control = serializers.CharField(help_text="Form of final control, in the language of the request")
    dlt_type = DltTypeField(source="line.dlt_type")
    course_id = serializers.IntegerField(source="line.course_id", allow_null=True)
    teacher = PersonSerializer(source="line.teacher", allow_null=True)
    tutor = PersonSerializer(source="line.tutor", allow_null=True)
    completed = serializers.BooleanField(source="line.completed", help_text="Studied before DLT")

    class Meta:
        ref_name = "DltPlanLine"


class PeriodTotalSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    year = serializers.IntegerField(help_text="The year of study the period falls in")
    credits = serializers.IntegerField()
    remaining_credits = serializers.IntegerField(help_text="Credits still to study")

    class Meta:
        ref_name = "DltPlanPeriodTotal"


class YearTotalSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    credits = serializers.IntegerField()
    remaining_credits = serializers.IntegerField()

    class Meta:
        ref_name = "DltPlanYearTotal"


class PlanTotalsSerializer(serializers.Serializer):
    periods = PeriodTotalSerializer(many=True)
    years = YearTotalSerializer(many=True)
    credits = serializers.IntegerField()
    remaining_credits = serializers.IntegerField()

    class Meta:
        ref_name = "DltPlanTotals"


class PlanSerializer(serializers.Serializer):
    application_id = serializers.IntegerField()
    status = PlanStatusField()
    version = serializers.IntegerField(help_text="Raised by every change")
    approved_at = serializers.DateTimeField(allow_null=True)
    approved_by = PersonSerializer(allow_null=True)
    lines = PlanLineSerializer(many=True, help_text="By period and discipline code")
    totals = PlanTotalsSerializer()

    class Meta:
        ref_name = "DltPlan"


class PlanDetailApi(APIView):
    """The individual study plan of an application: every discipline of the curriculum by period, with totals
    per period, per year and overall."""

    @extend_schema(responses=PlanSerializer)
    def get(self, request: Request, application_id: int) -> Response:
        plan = permissions.access_plan(user=request.user, application_id=application_id)
        page = selectors.plan_page(plan=plan)
        body = {
            "application_id": plan.application_id,
            "status": plan.status,
            "version": plan.version,
            "approved_at": plan.approved_at,
            "approved_by": plan.approved_by,
            "lines": [row for block in page.periods for row in block.rows],
            "totals": {
                "periods": page.periods,
                "years": page.years,
                "credits": page.credits,
                "remaining_credits": page.remaining_credits,
            },
        }
        return Response(PlanSerializer(body).data)


class EntrySerializer(serializers.Serializer):
    id = serializers.IntegerField(source="entry.pk")
    kind = EntryKindField(source="entry.kind")
    discipline = DisciplineSerializer(source="entry.discipline", allow_null=True)
    name = serializers.SerializerMethodField(help_text="In the language of the request")
    starts_on = serializers.DateField(source="entry.starts_on")
    ends_on = serializers.DateField(source="entry.ends_on", allow_null=True)
    starts_at = serializers.DateTimeField(source="entry.starts_at", allow_null=True, help_text="When it has a time")
    mode = serializers.CharField(help_text="The exam's mode, in the language of the request")
    note = serializers.CharField(source="entry.note")
    dlt_type = OptionalDltTypeField(
        source="line.dlt_type", default="", help_text="The discipline's DLT type in the plan"
    )
    tutor = PersonSerializer(source="line.tutor", allow_null=True, default=None)
    edited = serializers.BooleanField(source="entry.edited", help_text="Changed by hand: kept on re-generation")

    def get_name(self, row: selectors.EntryRow) -> str:
        return localized(row.entry, "name") or (row.entry.discipline.name if row.entry.discipline else "")

    class Meta:
        ref_name = "DltScheduleEntry"


class ScheduleSerializer(serializers.Serializer):
    application_id = serializers.IntegerField()
    version = serializers.IntegerField(help_text="Raised when re-generation changes something")
    generated_at = serializers.DateTimeField(allow_null=True)
    entries = EntrySerializer(many=True, help_text="In date order")

    class Meta:
        ref_name = "DltSchedule"


class ScheduleDetailApi(APIView):
    """The individual schedule of an application: consultations, broadcasts, assignments and their deadlines,
    midterm controls, exams, course-work defences and practice, in date order."""

    @extend_schema(responses=ScheduleSerializer)
    def get(self, request: Request, application_id: int) -> Response:
        schedule = schedules.schedule_refreshed(
            permissions.access_schedule(user=request.user, application_id=application_id)
        )
        body = {
            "application_id": schedule.application_id,
            "version": schedule.version,
            "generated_at": schedule.generated_at,
            "entries": selectors.schedule_rows(schedule=schedule),
        }
        return Response(ScheduleSerializer(body).data)
