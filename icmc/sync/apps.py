from django.apps import AppConfig


class SyncConfig(AppConfig):
    name = "icmc.sync"
    label = "sync"
    verbose_name = "Sync"
