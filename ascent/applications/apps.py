from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "ascent.applications"
    label = "applications"
