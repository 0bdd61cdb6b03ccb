from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "icmc.demo"
    label = "demo"
    verbose_name = "Demo data"
