from django.contrib import admin

from regiekamer.budgets.models import Budget


@admin.register(Budget)
class BudgetAdmin(admin.ModelAdmin):
    list_display = ["municipality", "segment", "year", "amount_cents"]
    list_filter = ["year", "segment"]
