from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "qashyq.core"
    label = "core"
