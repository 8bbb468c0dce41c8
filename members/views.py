from django.db.models import Prefetch
from django.shortcuts import render

from members.models import Agency, Membership


def directory(request):
    """Agencies and their seats on every active group."""
    seats = Membership.objects.current().filter(group__is_active=True).select_related(
        "group", "person"
    )
    agencies = Agency.objects.prefetch_related(Prefetch("memberships", queryset=seats))
    return render(request, "members/directory.html", {"agencies": agencies})
