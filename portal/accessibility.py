"""The accessibility statement: open to everyone, signed in or not.

The Public Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility
Regulations 2018 ask for one, in the shape of GOV.UK's sample statement. Its words are
in templates/accessibility.html; who to contact and its dates come from the settings,
so that a deployment names its own.
"""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.views.decorators.http import require_GET


@login_not_required
@require_GET
def accessibility_statement(request):
    return render(
        request,
        "accessibility.html",
        {
            "partnership_name": settings.PARTNERSHIP_NAME,
            "contact_email": settings.ACCESSIBILITY_CONTACT_EMAIL,
            "prepared": settings.ACCESSIBILITY_STATEMENT_PREPARED,
            "reviewed": settings.ACCESSIBILITY_STATEMENT_REVIEWED,
        },
    )
