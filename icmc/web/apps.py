from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "icmc.web"
    label = "web"
    verbose_name = "Web"
