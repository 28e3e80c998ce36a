from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "ascent.common"
    label = "common"
