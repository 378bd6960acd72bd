from django.apps import AppConfig


class ProvidersConfig(AppConfig):
    name = "regiekamer.providers"
    label = "providers"
