from django.apps import AppConfig


class MembersConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "members"

    def ready(self) -> None:
        from django.contrib.auth import get_user_model
        from django.db.models.signals import post_save

        from members.models import Person

        def follow_account_email(sender, instance, raw=False, update_fields=None, **kw) -> None:
            """A person's email is their account's: changed only once it is confirmed."""
            if not raw and (update_fields is None or "email" in update_fields):
                Person.objects.filter(user=instance).exclude(email=instance.email).update(
                    email=instance.email
                )

        post_save.connect(
            follow_account_email, sender=get_user_model(), dispatch_uid="person_follows_account"
        )
