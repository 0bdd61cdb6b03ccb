from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "icmc.matching"
    label = "matching"
    verbose_name = "Duplicate candidates"
