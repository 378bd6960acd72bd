from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "regiekamer.messaging"
    label = "messaging"
