from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The top floor: the dashboard, the privacy notice, the ToR loader and the demo."""

    name = "portal"
    verbose_name = "Portal"
