from django.urls import path

from regiekamer.budgets import views as budget_views
from regiekamer.monitoring import kpi_views, views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("definities/", views.definitions, name="definitions"),
    path("budget/", budget_views.monitor, name="budget-monitor"),
    path("scenario/", budget_views.scenarios, name="scenarios"),
    path("uitgaven/<str:cbs_code>/<int:year>/", views.spending_lines, name="spending-lines"),
    path("kengetallen/", kpi_views.kpi_overview, name="kpi-overview"),
    path("kengetallen/<str:kpi_id>/onderbouwing/", kpi_views.kpi_records, name="kpi-records"),
]
