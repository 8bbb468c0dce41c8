"""Sign-in with the email address as the login."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class EmailBackend(ModelBackend):
    """Authenticate by email, case-insensitively; usernames are emails too."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not username or password is None:
            return None
        users = get_user_model()._default_manager.filter(email__iexact=username.strip())
        for user in users[:2]:
            if user.check_password(password) and self.user_can_authenticate(user):
                return user
        # Spend the same time as a real check so emails cannot be probed by timing.
        get_user_model()().set_password(password)
        return None
