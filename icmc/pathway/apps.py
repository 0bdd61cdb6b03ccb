from django.apps import AppConfig


class PathwayConfig(AppConfig):
    name = "icmc.pathway"
    label = "pathway"
    verbose_name = "Survivor pathway (6R)"
