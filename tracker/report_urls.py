from django.urls import path

from tracker import draft_views, issue_views, pack_views
from tracker import report_views as views
from tracker.exports import FORMATS

app_name = "reports"
urlpatterns = [
    path("quarterly/", views.quarters, name="quarters"),
    path("quarterly/<str:fy>/<str:q>/", views.quarterly, name="quarterly"),
    path("quarterly/<str:fy>/<str:q>/draft/", draft_views.draft, name="draft"),
    path("quarterly/<str:fy>/<str:q>/finalise/", issue_views.finalise, name="finalise"),
    path("quarterly/<str:fy>/<str:q>/reissue/", issue_views.reissue, name="reissue"),
    path("quarterly/<str:fy>/<str:q>/compare/", views.compare, name="compare"),
    path("quarterly/<str:fy>/<str:q>/send/", issue_views.send, name="send"),
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
    # The SVRP pack: every working group's finalised update of a quarter (tracker/pack.py).
    path("svrp-pack/", pack_views.packs, name="packs"),
    path("svrp-pack/<str:fy>/<str:q>/", pack_views.pack, name="pack"),
    path(
        "svrp-pack/<str:fy>/<str:q>/pack.docx",
        pack_views.download,
        {"extension": "docx"},
        name="pack_docx",
    ),
    path(
        "svrp-pack/<str:fy>/<str:q>/pack.pdf",
        pack_views.download,
        {"extension": "pdf"},
        name="pack_pdf",
    ),
    path("svrp-pack/<str:fy>/<str:q>/send/", pack_views.send, name="pack_send"),
]
