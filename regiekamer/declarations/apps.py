from django.apps import AppConfig


class DeclarationsConfig(AppConfig):
    name = "regiekamer.declarations"
    label = "declarations"
