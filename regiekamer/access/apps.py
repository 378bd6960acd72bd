from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "regiekamer.access"
    label = "access"
    verbose_name = "toegang en rollen"
