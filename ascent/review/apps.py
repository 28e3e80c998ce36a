from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "ascent.review"
    label = "review"
