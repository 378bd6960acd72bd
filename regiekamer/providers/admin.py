from django.contrib import admin

from regiekamer.providers.models import Provider


@admin.register(Provider)
class ProviderAdmin(admin.ModelAdmin):
    list_display = ["name", "agb_code", "kvk_number"]
    search_fields = ["name", "agb_code"]
