from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "regiekamer.monitoring"
    label = "monitoring"
