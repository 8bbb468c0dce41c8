"""The portal's URLs and the benchmark's floor page (vrp_portal.settings_bench only)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from vrp_portal.urls import handler403, urlpatterns  # noqa: F401


@require_GET
@login_required
def floor(request):
    return render(request, "bench/floor.html")


urlpatterns = [path("bench/floor/", floor, name="bench_floor"), *urlpatterns]
