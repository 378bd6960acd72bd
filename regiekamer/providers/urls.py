from django.urls import path

from regiekamer.providers import views

urlpatterns = [
    path("aanbieders/", views.provider_list, name="provider-list"),
    path("aanbieders/<str:agb_code>/", views.provider_detail, name="provider-detail"),
    path("aanbieders/<str:agb_code>/spiegel/", views.provider_mirror, name="provider-mirror"),
]
