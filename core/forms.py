"""The portal's versions of allauth's sign-in forms."""

from __future__ import annotations

from allauth.account import forms as allauth_forms
from allauth.account.models import EmailAddress


class LoginForm(allauth_forms.LoginForm):
    """Email and password, labelled as the portal's people expect."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        login = self.fields["login"]
        login.label = "Email address"
        login.widget.attrs.update({"autocomplete": "email", "autofocus": True})
        login.widget.attrs.pop("placeholder", None)
        self.fields["password"].widget.attrs.pop("placeholder", None)


class ResetPasswordForm(allauth_forms.ResetPasswordForm):
    """A reset link goes only to an account's confirmed address.

    allauth also finds accounts by an address still waiting for confirmation; a
    reset sent there would hand the account to whoever typed that address in.
    """

    def clean_email(self) -> str:
        email = super().clean_email()
        confirmed = set(
            EmailAddress.objects.filter(
                user__in=self.users, email__iexact=email, verified=True, primary=True
            ).values_list("user_id", flat=True)
        )
        self.users = [user for user in self.users if user.pk in confirmed]
        return email
