from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "icmc.audit"
    label = "audit"
    verbose_name = "Audit"
