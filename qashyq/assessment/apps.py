from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    name = "qashyq.assessment"
    label = "assessment"
    verbose_name = _("Testing")

    def ready(self) -> None:
        # Content sends the pages of its test items here.
        from qashyq.assessment import registration

        registration.register()
