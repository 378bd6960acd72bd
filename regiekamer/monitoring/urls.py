from django.urls import path

from regiekamer.monitoring import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("definities/", views.definitions, name="definitions"),
]
