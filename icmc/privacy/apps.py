from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "icmc.privacy"
    label = "privacy"
    verbose_name = "Privacy: approvals, holds, share ledger"
