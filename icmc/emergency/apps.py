from django.apps import AppConfig


class EmergencyConfig(AppConfig):
    name = "icmc.emergency"
    label = "emergency"
    verbose_name = "Emergency access"
