"""Logging the Django admin's pages that show citizens' personal data, purpose
"administration": one row for each page rendered, whatever the method (a form sent back with
its errors shows the record again), and none for a request that redirects.

- a list page: one row with the citizens it lists (the page sent back with a list-edit error too);
- a page of one record (change, delete, history): one row about the record's citizen;
- an action's page (the confirmation of "delete selected", which names every record chosen
  and what goes with it): one row with the citizens of the records chosen and those their
  pages list, whether or not the list page is logged.

A ModelAdmin takes `AccessLoggedAdminMixin` first among its bases; a record's citizen is the
record itself or its `citizen` (audit.services.citizen_of: get_queryset should select it), and
a record's page may list others (`citizens_listed`).
"""

from functools import wraps

from .models import AccessLog, Purpose
from .services import access_log_record, citizen_of, describe_search

# The admin's pages of one record, and the context variable that holds it.
_RECORD_PAGES = {"change_view": "original", "delete_view": "object", "history_view": "object"}


def _rendered(response):
    """Whether the response is a page shown (not a redirect, not an error page)."""
    return response is not None and response.status_code == 200


class AccessLoggedAdminMixin:
    # False where the list page shows no personal data (only the records' own pages do).
    log_list_pages = True

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

    def _log_list(self, request, records, query="", with_listed=False):
        listed = []
        for obj in records:
            listed += [citizen_of(obj), *(self.citizens_listed(obj) if with_listed else ())]
        self._log(request, action=AccessLog.Action.LIST, citizens=[c for c in listed if c is not None], query=query)

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", None) and response.context_data.get("cl")
        if self.log_list_pages and _rendered(response) and changelist is not None:
            # result_list is evaluated here and the template reuses it: no query more.
            self._log_list(request, changelist.result_list, query=describe_search(changelist.query))
        return response

    def get_actions(self, request):
        # Each action logs the page it renders (the changelist returns it as it is).
        return {
            name: (self._logged_action(func), name, description)
            for name, (func, name, description) in super().get_actions(request).items()
        }

    def _logged_action(self, func):
        @wraps(func)
        def action(modeladmin, request, queryset):
            response = func(modeladmin, request, queryset)
            if _rendered(response):
                self._log_list(request, queryset, with_listed=True)
            return response

        return action

    def _record_page(self, view, request, object_id, *args, **kwargs):
        response = getattr(super(), view)(request, object_id, *args, **kwargs)
        context = getattr(response, "context_data", None) or {}
        obj = context.get(_RECORD_PAGES[view])
        if _rendered(response) and obj is not None:
            self._log(
                request, action=AccessLog.Action.VIEW, object_id=obj.pk, citizen=citizen_of(obj),
                citizens=self.citizens_listed(obj),
            )
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return self._record_page("change_view", request, object_id, form_url, extra_context)

    def delete_view(self, request, object_id, extra_context=None):
        return self._record_page("delete_view", request, object_id, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        return self._record_page("history_view", request, object_id, extra_context)
