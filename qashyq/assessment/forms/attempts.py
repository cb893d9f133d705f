"""The start form of a test: the access code and the identity snapshot when the test asks for them."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from qashyq.assessment.data import IdentityCheck
from qashyq.assessment.models import Test
from qashyq.core.forms import BootstrapForm

MAX_SNAPSHOT_BYTES = 5 * 1024 * 1024


class AttemptStartForm(BootstrapForm):
    access_code = forms.CharField(label=_("Access code"), max_length=50, required=False)
    identity = forms.ImageField(label=_("Snapshot"), required=False)

    def __init__(self, *args: Any, test: Test, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.test = test
        if not test.access_code:
            del self.fields["access_code"]
        else:
            self.fields["access_code"].required = True
            self.fields["access_code"].help_text = _("The code your teacher or proctor gives at the start.")
            self.fields["access_code"].widget.attrs.update({"autocomplete": "off"})
        if test.identity_check == IdentityCheck.NONE:
            del self.fields["identity"]
        else:
            field = self.fields["identity"]
            field.widget.attrs.update({"accept": "image/jpeg,image/png"})
            if test.identity_check == IdentityCheck.WEBCAM:
                field.label = _("Webcam snapshot")
                field.help_text = _("Turn on the camera and take a snapshot, or choose a photo of yourself.")
                field.widget.attrs["capture"] = "user"
            else:
                field.label = _("Photo of your identity document")
                field.help_text = _("A clear photo of your identity card or passport, JPEG or PNG, up to 5 MB.")

    def clean_identity(self) -> Any:
        upload = self.cleaned_data.get("identity")
        if upload is not None and upload.size > MAX_SNAPSHOT_BYTES:
            raise forms.ValidationError(_("The photo is larger than 5 MB."))
        return upload
