from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CourseworkConfig(AppConfig):
    name = "qashyq.coursework"
    label = "coursework"
    verbose_name = _("Assignments and course work")

    def ready(self) -> None:
        # Content sends the pages of its assignment items here.
        from qashyq.coursework import registration

        registration.register()
