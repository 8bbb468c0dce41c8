from django.apps import AppConfig


def follow_account_email(sender, instance, raw=False, update_fields=None, **kwargs) -> None:
    """A person's email is their account's: it changes once the new address is confirmed
    (or a superuser changes it in the admin), and the person follows."""
    from members.models import Person

    if not raw and (update_fields is None or "email" in update_fields):
        Person.objects.filter(user=instance).exclude(email=instance.email).update(
            email=instance.email
        )


class MembersConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "members"

    def ready(self) -> None:
        from django.contrib.auth import get_user_model
        from django.db.models.signals import post_save

        post_save.connect(
            follow_account_email, sender=get_user_model(), dispatch_uid="person_follows_account"
        )
