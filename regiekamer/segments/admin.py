from django.contrib import admin

from regiekamer.segments.models import Lot, Segment


class LotInline(admin.TabularInline):
    model = Lot
    extra = 0


@admin.register(Segment)
class SegmentAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "domain", "funding_model", "region"]
    inlines = [LotInline]
