from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    name = "ascent.programs"
    label = "programs"
