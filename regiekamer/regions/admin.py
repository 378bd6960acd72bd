from django.contrib import admin

from regiekamer.regions.models import Municipality, Population, Region, Subregion


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "cbs_code"]


@admin.register(Subregion)
class SubregionAdmin(admin.ModelAdmin):
    list_display = ["name", "region"]


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name", "cbs_code", "region", "subregion"]
    search_fields = ["name", "cbs_code"]


@admin.register(Population)
class PopulationAdmin(admin.ModelAdmin):
    list_display = ["municipality", "year", "age_0_17"]
    list_filter = ["year"]
