"""Forms of delivery on paper: a student's channel, a dispatch record, a receipt."""

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qashyq.content.data import CasePackageStatus, DeliveryChannel, DispatchChannel
from qashyq.content.models import CasePackage, Course
from qashyq.core.forms import BootstrapForm, DateInput


class DeliveryForm(BootstrapForm):
    delivery = forms.ChoiceField(label=_("Delivery"), choices=DeliveryChannel.choices)


class PackageChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        finished = timezone.localtime(obj.finished_at).strftime("%d.%m.%Y %H:%M") if obj.finished_at else ""
        return str(_("Case package of %(date)s") % {"date": finished})


class DispatchForm(BootstrapForm):
    dispatched_on = forms.DateField(label=_("Dispatched on"), widget=DateInput())
    channel = forms.ChoiceField(label=_("Channel"), choices=DispatchChannel.choices)
    tracking_number = forms.CharField(
        label=_("Tracking number"),
        max_length=100,
        required=False,
        help_text=_("For post and courier: the number on the receipt."),
    )
    package = PackageChoice(
        label=_("Case package sent"), queryset=CasePackage.objects.none(), required=False, empty_label=_("None")
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, course: Course, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"dispatched_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        ready = CasePackage.objects.filter(course=course, status=CasePackageStatus.READY).order_by("-finished_at")[:10]
        field = self.fields["package"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = CasePackage.objects.filter(pk__in=[p.pk for p in ready]).order_by("-finished_at")
        if ready and "package" not in self.initial:
            self.initial["package"] = ready[0].pk


class ReceiveForm(BootstrapForm):
    received_on = forms.DateField(label=_("Received on"), widget=DateInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"received_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
