from django.apps import AppConfig


class SegmentsConfig(AppConfig):
    name = "regiekamer.segments"
    label = "segments"
