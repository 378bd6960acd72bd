from django.apps import AppConfig


class SettlementsConfig(AppConfig):
    name = "regiekamer.settlements"
    label = "settlements"
    verbose_name = "afrekening"
