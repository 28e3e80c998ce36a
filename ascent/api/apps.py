from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "ascent.api"
    label = "api"
