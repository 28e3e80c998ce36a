from django.apps import AppConfig


class WorkspaceConfig(AppConfig):
    """The program's side in the browser: the reviewer's queue and the staff's desk."""

    name = "ascent.workspace"
    label = "workspace"
