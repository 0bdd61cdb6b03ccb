from django.apps import AppConfig


class VaultConfig(AppConfig):
    name = "icmc.vault"
    label = "vault"
    verbose_name = "Vault (encrypted identities)"
