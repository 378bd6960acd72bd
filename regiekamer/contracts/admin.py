from django.contrib import admin

from regiekamer.contracts.models import Contract, Product, Tariff


class TariffInline(admin.TabularInline):
    model = Tariff
    extra = 0


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ["code", "description", "category", "unit", "variant", "segment"]
    list_filter = ["segment", "variant"]
    inlines = [TariffInline]


@admin.register(Contract)
class ContractAdmin(admin.ModelAdmin):
    list_display = ["reference", "provider", "start", "end", "extension_options"]
    filter_horizontal = ["lots"]
