from django.urls import path

from regiekamer.budgets import views as budget_views
from regiekamer.monitoring import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("definities/", views.definitions, name="definitions"),
    path("budget/", budget_views.monitor, name="budget-monitor"),
    path("scenario/", budget_views.scenarios, name="scenarios"),
    path("uitgaven/<str:cbs_code>/<int:year>/", views.spending_lines, name="spending-lines"),
]
