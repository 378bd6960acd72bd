from django.urls import path

from regiekamer.strategy import views

urlpatterns = [
    path("strategie/", views.strategy_overview, name="strategy-overview"),
]
