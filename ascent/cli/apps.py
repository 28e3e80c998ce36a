from django.apps import AppConfig


class CliConfig(AppConfig):
    name = "ascent.cli"
    label = "cli"
