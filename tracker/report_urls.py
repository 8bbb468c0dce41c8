from django.urls import path

from tracker import report_views as views
from tracker.exports import FORMATS

app_name = "reports"
urlpatterns = [
    path("quarterly/", views.quarters, name="quarters"),
    path("quarterly/<str:fy>/<str:q>/", views.quarterly, name="quarterly"),
    path("quarterly/<str:fy>/<str:q>/finalise/", views.finalise, name="finalise"),
    path("quarterly/<str:fy>/<str:q>/compare/", views.compare, name="compare"),
    # report.json, report.docx, report.pdf, report.xlsx and report.csv: one name each.
    *(
        path(
            f"quarterly/<str:fy>/<str:q>/report.{extension}",
            views.download,
            {"extension": extension},
            name=f"report_{extension}",
        )
        for extension in FORMATS
    ),
]
