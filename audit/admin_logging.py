"""Logging the Django admin's pages that show citizens' personal data: one row for each list
page (with the citizens it lists) and for each page of one record, purpose "administration".

A ModelAdmin takes `AccessLoggedAdminMixin` first among its bases; a record's citizen is the
record itself or its `citizen` (`citizen_of`), and a record's page may list others
(`citizens_listed`).
"""

from .models import CITIZEN_MODEL, AccessLog, Purpose
from .services import ShownCitizen, access_log_record, describe_search

# The admin's pages of one record, and the context variable that holds it.
_RECORD_PAGES = {"change_view": "original", "delete_view": "object", "history_view": "object"}


class AccessLoggedAdminMixin:
    # False where the list page shows no personal data (only the records' own pages do).
    log_list_pages = True

    def citizen_of(self, obj):
        """The citizen a record is (a citizen) or belongs to (its `citizen`, which get_queryset
        should select), as an object with `pk` and `municipality_id`; or None."""
        if obj._meta.label == CITIZEN_MODEL:
            return obj
        citizen = getattr(obj, "citizen", None)
        return ShownCitizen(citizen.pk, citizen.municipality_id) if citizen is not None else None

    def citizens_listed(self, obj):
        """The other citizens a record's page lists (a course's enrolled): none by default."""
        return []

    def _log(self, request, *, action, object_id=None, citizen=None, citizens=(), query=""):
        access_log_record(
            user=request.user,
            action=action,
            model=self.model._meta.label,
            object_id=object_id,
            citizen=citizen,
            citizens=citizens,
            purpose=Purpose.ADMINISTRATION,
            query=query,
        )

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", None) and response.context_data.get("cl")
        if self.log_list_pages and request.method == "GET" and response.status_code == 200 and changelist is not None:
            # result_list is evaluated here and the template reuses it: no query more.
            listed = [self.citizen_of(obj) for obj in changelist.result_list]
            self._log(
                request, action=AccessLog.Action.LIST, citizens=[c for c in listed if c is not None],
                query=describe_search(changelist.query),
            )
        return response

    def _record_page(self, view, request, object_id, *args, **kwargs):
        response = getattr(super(), view)(request, object_id, *args, **kwargs)
        context = getattr(response, "context_data", None) or {}
        obj = context.get(_RECORD_PAGES[view])
        if request.method == "GET" and response.status_code == 200 and obj is not None:
            self._log(
                request, action=AccessLog.Action.VIEW, object_id=obj.pk, citizen=self.citizen_of(obj),
                citizens=self.citizens_listed(obj),
            )
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return self._record_page("change_view", request, object_id, form_url, extra_context)

    def delete_view(self, request, object_id, extra_context=None):
        return self._record_page("delete_view", request, object_id, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        return self._record_page("history_view", request, object_id, extra_context)
