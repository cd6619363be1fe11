"""What the apps' admins refuse, said once: rows that only a service writes, records never deleted.

Registers nothing; the mixins go before the admin class they restrict (`NoAddMixin, SimpleHistoryAdmin`).
"""

from django.contrib import admin


class NoAddMixin:
    """Rows that a service creates, with the events, locks and notices the admin form would skip."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class NoDeleteMixin:
    """Records that are evidence: archived or corrected, never deleted."""

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ReadOnlyAdmin(NoAddMixin, NoDeleteMixin, admin.ModelAdmin):
    """Rows that only the app's services write: the admin shows them and never bypasses them."""

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class ReadOnlyInline(NoAddMixin, admin.TabularInline):
    """A record's timeline or deliveries under it, as written; set `readonly_fields = fields`."""

    extra = 0
    can_delete = False
