from django.apps import AppConfig


class WorkspaceConfig(AppConfig):
    """The composing layer's staff pages: the record page, the caseload, the registry import,
    the timeline; each draws on many clinical apps, which never import it back."""

    name = "waypoint.workspace"
    verbose_name = "Workspace"
