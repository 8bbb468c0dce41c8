from django.apps import AppConfig


class TrackerConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "tracker"

    def ready(self) -> None:
        # Meetings sits below the tracker, so it asks by signal and the tracker answers.
        from meetings.signals import quarter_notices
        from tracker.receivers import finalised_quarter_notices

        quarter_notices.connect(
            finalised_quarter_notices, dispatch_uid="tracker.finalised_quarter_notices"
        )
