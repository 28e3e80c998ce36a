from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "ascent.portal"
    label = "portal"
