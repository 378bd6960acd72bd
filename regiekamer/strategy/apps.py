from django.apps import AppConfig


class StrategyConfig(AppConfig):
    name = "regiekamer.strategy"
    label = "strategy"
    verbose_name = "Verwervingsstrategie"
