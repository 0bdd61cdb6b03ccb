from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "icmc.accounts"
    label = "accounts"
    verbose_name = "Organisations and people who use ICMC"
