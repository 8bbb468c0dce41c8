from django.urls import path

from members import gdpr_views, people_views, views

app_name = "members"
urlpatterns = [
    path("", views.directory, name="directory"),
    path("distribution-list/", views.distribution_list, name="distribution_list"),
    path("distribution-list.csv", views.distribution_list_csv, name="distribution_list_csv"),
    path("distribution-list.docx", views.distribution_list_docx, name="distribution_list_docx"),
    path("distribution-list/seats/<int:pk>/tor-sent/", views.tor_sent, name="tor_sent"),
    path("people/", people_views.people, name="people"),
    path("people/new/", people_views.person_create, name="person_create"),
    path("people/<int:pk>/", people_views.person, name="person"),
    path("people/<int:pk>/edit/", people_views.person_edit, name="person_edit"),
    path("people/<int:pk>/invite/", people_views.person_invite, name="person_invite"),
    path("people/<int:pk>/deactivate/", people_views.person_deactivate, name="person_deactivate"),
    path("people/<int:pk>/reactivate/", people_views.person_reactivate, name="person_reactivate"),
    # The subject access export, beside the person's page (UK GDPR Article 15).
    *(
        path(
            f"people/<int:pk>.{extension}",
            gdpr_views.person_export,
            {"extension": extension},
            name=f"person_export_{extension}",
        )
        for extension in gdpr_views.CONTENT_TYPES
    ),
    path("people/<int:pk>/anonymise/", gdpr_views.person_anonymise, name="person_anonymise"),
]
