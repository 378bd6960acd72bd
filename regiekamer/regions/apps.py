from django.apps import AppConfig


class RegionsConfig(AppConfig):
    name = "regiekamer.regions"
    label = "regions"
