from django.contrib import admin

from regiekamer.strategy.models import Kpi, LotStrategy, SegmentStrategy, Strategy


class SegmentStrategyInline(admin.TabularInline):
    model = SegmentStrategy
    extra = 0
    fields = ["segment", "funding_model", "contract_form", "contract_term", "case_direction", "max_providers"]


class KpiInline(admin.TabularInline):
    model = Kpi
    extra = 0


class LotStrategyInline(admin.TabularInline):
    model = LotStrategy
    extra = 0


@admin.register(Strategy)
class StrategyAdmin(admin.ModelAdmin):
    list_display = ["region", "year", "source"]
    inlines = [SegmentStrategyInline]


@admin.register(SegmentStrategy)
class SegmentStrategyAdmin(admin.ModelAdmin):
    list_display = ["strategy", "segment", "funding_model", "contract_form", "contract_term"]
    inlines = [LotStrategyInline, KpiInline]
