from django.urls import path

from regiekamer.monitoring import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("definities/", views.definitions, name="definitions"),
    path("uitgaven/<str:cbs_code>/<int:year>/", views.spending_lines, name="spending-lines"),
]
