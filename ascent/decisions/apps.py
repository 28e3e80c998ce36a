from django.apps import AppConfig


class DecisionsConfig(AppConfig):
    name = "ascent.decisions"
    label = "decisions"
