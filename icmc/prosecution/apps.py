from django.apps import AppConfig


class ProsecutionConfig(AppConfig):
    name = "icmc.prosecution"
    label = "prosecution"
    verbose_name = "Prosecution"
