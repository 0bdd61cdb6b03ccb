from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "icmc.cases"
    label = "cases"
    verbose_name = "Cases and people in them"
