from django.contrib import admin

from regiekamer.access.models import AuditEvent, Membership


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "region", "provider")
    list_filter = ("role",)
    filter_horizontal = ("municipalities",)


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("at", "user", "action", "what", "records")
    list_filter = ("action",)
    readonly_fields = ("at", "user", "action", "what", "records")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
