from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "regiekamer.api"
    label = "api"
    verbose_name = "API"
