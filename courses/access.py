"""The only door to courses on a user's behalf: scoped by municipality and role."""

from django.shortcuts import get_object_or_404

from accounts.access import CASEWORK_ROLES, municipality_ids_for

from .models import Course


def courses_for_user(user, roles=CASEWORK_ROLES):
    return Course.objects.filter(municipality_id__in=municipality_ids_for(user, roles))


def get_course_for_user(user, pk):
    return get_object_or_404(courses_for_user(user).select_related("municipality"), pk=pk)
