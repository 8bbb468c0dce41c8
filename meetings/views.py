from django.shortcuts import get_object_or_404, render

from meetings.models import Meeting


def meeting_list(request):
    meetings = Meeting.objects.select_related("group", "host_agency")
    return render(
        request,
        "meetings/list.html",
        {"upcoming": meetings.upcoming()[:20], "past": meetings.past()[:20]},
    )


def meeting_detail(request, pk: int):
    meeting = get_object_or_404(Meeting.objects.select_related("group", "host_agency"), pk=pk)
    return render(request, "meetings/detail.html", {"meeting": meeting})
