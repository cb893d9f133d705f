from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DltConfig(AppConfig):
    name = "qashyq.dlt"
    label = "dlt"
    verbose_name = _("Distance learning technologies")

    def ready(self) -> None:
        # Records asks this app at the moments of a DLT order (rules 12–14); documents asks who may download
        # the attachments.
        from qashyq.dlt import registration

        registration.register()
