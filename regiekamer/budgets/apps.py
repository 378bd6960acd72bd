from django.apps import AppConfig


class BudgetsConfig(AppConfig):
    name = "regiekamer.budgets"
    label = "budgets"
