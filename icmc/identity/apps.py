from django.apps import AppConfig


class IdentityConfig(AppConfig):
    name = "icmc.identity"
    label = "identity"
    verbose_name = "Identity"
