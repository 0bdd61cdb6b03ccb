from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "icmc.access"
    label = "access"
    verbose_name = "Access"
