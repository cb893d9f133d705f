"""Fields the DLT API shares. Its choice fields ("status", "kind", "language", "dlt_type"…) share their names
with other apps' fields of other choices: drf-spectacular would name one enum component after each field name
and warn about the collisions (which `manage.py check --deploy` reports). As in the content API, these fields
are described by a pattern of their values instead of an enum, so no component is made for them."""

from collections.abc import Sequence

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from qashyq.dlt.data import (
    ApplicationStatus,
    AttachmentKind,
    Category,
    DltType,
    DocumentType,
    EnrolmentStatus,
    EntryKind,
    PlanStatus,
)
from qashyq.dlt.models import LANGUAGE_CHOICES
from qashyq.records.api import OrderStatus


def _one_of(values: Sequence[str], *, blank: bool = False) -> dict[str, str]:
    alternatives = "|".join(values)
    return {"type": "string", "pattern": f"^({alternatives}){'?' if blank else ''}$"}


def _field(name: str, values: Sequence[str], doc: str, *, blank: bool = False) -> type[serializers.CharField]:
    field = type(name, (serializers.CharField,), {"__doc__": doc})
    return extend_schema_field(_one_of(list(values), blank=blank))(field)


ApplicationStatusField = _field("ApplicationStatusField", ApplicationStatus.values, "Where an application stands.")
OptionalApplicationStatusField = _field(
    "OptionalApplicationStatusField", ApplicationStatus.values, "A state, or blank.", blank=True
)
CategoryField = _field("CategoryField", Category.values, "One of the five categories of rule 10.")
DltTypeField = _field("DltTypeField", DltType.values, "tv, network or case (rule 2).")
OptionalDltTypeField = _field("OptionalDltTypeField", DltType.values, "A DLT type, or blank.", blank=True)
DocumentTypeField = _field("DocumentTypeField", DocumentType.values, "What a supporting document is.")
EnrolmentStatusField = _field("EnrolmentStatusField", EnrolmentStatus.values, "Where a student's DLT study stands.")
EntryKindField = _field("EntryKindField", EntryKind.values, "What a line of a schedule is.")
LanguageField = _field("LanguageField", [code for code, _label in LANGUAGE_CHOICES], "kk or ru.")
OrderStatusField = _field("OrderStatusField", OrderStatus.values, "Where an order stands.")
PlanStatusField = _field("PlanStatusField", PlanStatus.values, "draft or approved.")
ATTACHMENT_KINDS = tuple(AttachmentKind.values)


class PersonSerializer(serializers.Serializer):
    """A person by account (staff) or by student record (students), with their name."""

    id = serializers.IntegerField()
    full_name = serializers.CharField()

    class Meta:
        ref_name = "DltPerson"


class DisciplineSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField(help_text="In the language of the request")

    class Meta:
        ref_name = "DltDiscipline"
