from django.urls import path

from regiekamer.reports import views

urlpatterns = [
    path("raadsrapportage/<str:cbs_code>/<int:year>/", views.council_report, name="council-report"),
    path("raadsrapportage/<str:cbs_code>/<int:year>/pdf/", views.council_report_pdf, name="council-report-pdf"),
]
