from django.urls import path

from regiekamer.tenders import views

urlpatterns = [
    path("aanbestedingen/", views.tender_list, name="tender-list"),
    path("aanbestedingen/nieuw/", views.tender_create, name="tender-create"),
    path("aanbestedingen/<int:pk>/", views.tender_detail, name="tender-detail"),
    path("aanbestedingen/<int:pk>/opzetten/", views.tender_setup, name="tender-setup"),
    path("aanbestedingen/<int:pk>/inschrijven/", views.tender_bid, name="tender-bid"),
    path("aanbestedingen/<int:pk>/beoordelen/", views.tender_score, name="tender-score"),
    path("aanbestedingen/<int:pk>/consensus/", views.tender_consensus, name="tender-consensus"),
    path("aanbestedingen/<int:pk>/rangorde/", views.tender_ranking, name="tender-ranking"),
    path("aanbestedingen/<int:pk>/gunning/", views.tender_award, name="tender-award"),
    path("aanbestedingen/<int:pk>/ocds.json", views.tender_ocds, name="tender-ocds"),
    path("contracten/", views.contract_list, name="contract-list"),
    path("contracten/<int:pk>/", views.contract_detail, name="contract-detail"),
]
