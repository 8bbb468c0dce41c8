"""The privacy notice: open to everyone, signed in or not (UK GDPR Articles 13 and 14)."""

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.views.decorators.http import require_GET


@login_not_required
@require_GET
def privacy_notice(request):
    return render(request, "privacy.html")
