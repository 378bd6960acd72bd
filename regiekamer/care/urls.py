from django.urls import path

from regiekamer.care import views

urlpatterns = [
    path("clienten/zoeken/", views.client_search, name="client-search"),
    path("clienten/<str:pseudonym>/", views.client_detail, name="client-detail"),
]
