from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "icmc.api"
    label = "api"
    verbose_name = "API"
