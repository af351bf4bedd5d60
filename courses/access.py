"""The only door to courses on a user's behalf: scoped by municipality and role.

Consultants and admins work with a course and its enrolled citizens. Managers read the
courses of their municipality and their funnel (enrolled → completed → hired), which is what
they report on, but neither the enrolled citizens nor the forms: SPEC's manager sees
dashboards and reports, no personal data beyond that.
"""

from django.shortcuts import get_object_or_404

from accounts.access import CASEWORK_ROLES, municipality_ids_for
from accounts.models import Role

from .models import Course

# Who may read a course's page and the list (the funnel); casework adds the enrolled.
READ_ROLES = (*CASEWORK_ROLES, Role.MANAGER)


def courses_for_user(user, roles=CASEWORK_ROLES):
    return Course.objects.filter(municipality_id__in=municipality_ids_for(user, roles))


def get_course_for_user(user, pk):
    """The course for casework (editing, enrolling): 404 outside the user's municipalities."""
    return get_object_or_404(courses_for_user(user).select_related("municipality"), pk=pk)


def get_course_for_reader(user, pk):
    """(course, casework): the course for reading, and whether the user does casework in its
    municipality (sees the enrolled, edits, enrols) or only reads its funnel (a manager)."""
    course = get_object_or_404(courses_for_user(user, READ_ROLES).select_related("municipality"), pk=pk)
    return course, course.municipality_id in municipality_ids_for(user, CASEWORK_ROLES)
