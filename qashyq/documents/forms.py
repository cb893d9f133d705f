from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from qashyq.documents.data import VERIFICATION_CODE_LENGTH, VERIFY_UPLOAD_MAX_BYTES
from qashyq.documents.selectors import code_normalize


class VerificationCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Verification code"),
        max_length=40,
        help_text=_("The 12 characters printed beside the QR code at the foot of the document."),
    )

    def clean_code(self) -> str:
        code = code_normalize(self.cleaned_data["code"])
        if code is None:
            raise forms.ValidationError(
                _("A verification code has %(count)s letters and digits, e.g. 7KQ2M9XRHD4P."),
                params={"count": VERIFICATION_CODE_LENGTH},
            )
        return code


class CopyCompareForm(forms.Form):
    file = forms.FileField(label=_("PDF file of your copy"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "Up to %(size)s. The file is only compared with the issued one; it is not kept."
        ) % {"size": filesizeformat(VERIFY_UPLOAD_MAX_BYTES)}

    def clean_file(self) -> UploadedFile:
        file = self.cleaned_data["file"]
        if file.size > VERIFY_UPLOAD_MAX_BYTES:
            raise forms.ValidationError(
                _("The file %(name)s is %(size)s; files up to %(limit)s can be compared."),
                params={
                    "name": file.name,
                    "size": filesizeformat(file.size),
                    "limit": filesizeformat(VERIFY_UPLOAD_MAX_BYTES),
                },
            )
        return file
