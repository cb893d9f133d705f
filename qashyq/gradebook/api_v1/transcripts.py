"""REST API of a student's transcript data: every discipline with a final letter by academic year and period,
with credits, final score, letter, digital equivalent and traditional grade, and the GPA per period, per year and
cumulative. For the student themself, the administration service and the head; 404 for anyone else."""

from django.utils import translation
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from qashyq.gradebook.api_v1.fields import Points, Score
from qashyq.gradebook.printing import access_transcript
from qashyq.gradebook.selectors import transcripts as selectors

LANGUAGES = ("kk", "ru", "en")


class TranscriptLineSerializer(serializers.Serializer):
    course_id = serializers.IntegerField()
    code = serializers.CharField(help_text="The discipline's code")
    name = serializers.CharField(help_text="The discipline's name in the transcript's language")
    credits = serializers.IntegerField()
    points = Score(help_text="The final score (null: an F given when the period closed without an exam)")
    letter = serializers.CharField()
    gpa = Points(allow_null=False)
    traditional = serializers.CharField(allow_blank=True)


class TranscriptPeriodSerializer(serializers.Serializer):
    period_id = serializers.IntegerField()
    number = serializers.IntegerField()
    kind = serializers.CharField(allow_blank=True)
    credits = serializers.IntegerField()
    gpa = Points()
    lines = TranscriptLineSerializer(many=True)


class TranscriptYearSerializer(serializers.Serializer):
    year_id = serializers.IntegerField()
    title = serializers.CharField()
    credits = serializers.IntegerField()
    gpa = Points()
    periods = TranscriptPeriodSerializer(many=True)


class TranscriptStudentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    full_name = serializers.CharField()
    programme_code = serializers.CharField(allow_blank=True)
    group_code = serializers.CharField(allow_blank=True)


class TranscriptSerializer(serializers.Serializer):
    student = TranscriptStudentSerializer()
    language = serializers.CharField()
    credits = serializers.IntegerField()
    gpa = Points(help_text="Cumulative, credit-weighted; F counts 0")
    years = TranscriptYearSerializer(many=True)


class LanguageParamSerializer(serializers.Serializer):
    language = serializers.ChoiceField(choices=LANGUAGES, required=False)


class TranscriptApi(APIView):
    """The data of a student's transcript (404 unless it is yours, or you are the administration or the head)."""

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "language", str, enum=list(LANGUAGES), description="kk, ru or en (the request's language when absent)"
            )
        ],
        responses=TranscriptSerializer,
    )
    def get(self, request: Request, student_id: int) -> Response:
        student = access_transcript(user=request.user, student_id=student_id)
        params = LanguageParamSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        language = params.validated_data.get("language") or (translation.get_language() or "kk")[:2]
        transcript = selectors.transcript_get(student_id=student.id, language=language)
        if transcript is None:
            raise NotFound
        body = {
            "student": {
                "id": transcript.student.id,
                "full_name": transcript.student.full_name,
                "programme_code": transcript.programme.code if transcript.programme is not None else "",
                "group_code": transcript.group.code if transcript.group is not None else "",
            },
            "language": transcript.language,
            "credits": transcript.credits,
            "gpa": transcript.gpa,
            "years": transcript.years,
        }
        return Response(TranscriptSerializer(body).data)
