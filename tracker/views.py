from django.shortcuts import render

from tracker.models import CrestRecommendation, PerformanceMeasure, QuarterlyReport, ToCActivity


def index(request):
    return render(
        request,
        "tracker/index.html",
        {
            "activities": ToCActivity.objects.all(),
            "recommendations": CrestRecommendation.objects.all(),
            "measures": PerformanceMeasure.objects.all(),
        },
    )


def quarters(request):
    reports = QuarterlyReport.objects.select_related("group")
    return render(request, "reports/quarters.html", {"reports": reports})
