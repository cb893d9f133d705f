from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "qashyq.demo"
    label = "demo"
    verbose_name = "Demo institution"
