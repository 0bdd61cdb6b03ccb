from django.apps import AppConfig


class FieldNodeConfig(AppConfig):
    name = "icmc.fieldnode"
    label = "fieldnode"
    verbose_name = "Field node"
