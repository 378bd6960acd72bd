from django.apps import AppConfig


class ContractsConfig(AppConfig):
    name = "regiekamer.contracts"
    label = "contracts"
