from django.apps import AppConfig


class TendersConfig(AppConfig):
    name = "regiekamer.tenders"
    label = "tenders"
    verbose_name = "Aanbestedingen"
