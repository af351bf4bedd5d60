"""Courses with a job promise: consultants register them, enrol citizens and follow the funnel;
managers read the courses and their funnel, without the enrolled (courses.access)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import CASEWORK_ROLES, municipalities_for, municipality_ids_for, role_required
from core.choosers import chooser_search_requested
from core.pagination import CappedPaginator

from . import services
from .access import READ_ROLES, courses_for_user, get_course_for_reader, get_course_for_user
from .forms import CourseForm, EnrolForm, EnrolmentStatusForm
from .models import Course

PAGE_SIZE = 25


@require_GET
@role_required(*READ_ROLES)
def course_list(request):
    """The courses the user may read, latest first, a page at a time, each with its funnel
    (counts only: nobody is named), worked out for the page's courses alone."""
    ordering = ("-start_date", "title", "pk")
    page = CappedPaginator(courses_for_user(request.user, READ_ROLES).order_by(*ordering), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    page.object_list = list(Course.objects.filter(pk__in=[c.pk for c in page.object_list]).with_funnel().order_by(*ordering))
    can_create = bool(municipality_ids_for(request.user, CASEWORK_ROLES))
    return render(request, "courses/list.html", {"page": page, "can_create": can_create})


def _course_form(request, course=None):
    form = CourseForm(
        request.POST or None, instance=course, municipalities=municipalities_for(request.user, CASEWORK_ROLES)
    )
    # The employer chooser's "Søg" without JavaScript: the form again, with the results.
    if request.method == "POST" and not chooser_search_requested(form) and form.is_valid():
        try:
            course = services.course_save(form=form)
        except ValidationError as error:  # changed by a colleague between the check and the write
            form.add_error(None, error)
        else:
            messages.success(request, _("Forløbet er gemt."))
            return redirect("courses:detail", pk=course.pk)
    return render(request, "courses/form.html", {"form": form, "course": course})


@require_http_methods(["GET", "POST"])
@role_required(*CASEWORK_ROLES)
def course_create(request):
    return _course_form(request)


@require_http_methods(["GET", "POST"])
@role_required(*CASEWORK_ROLES)
def course_edit(request, pk):
    return _course_form(request, get_course_for_user(request.user, pk))


def _detail(request, course, *, casework=True, enrol_form=None, status=200):
    """The course's page, also as a refused enrolment shows it again: for casework each a
    page view of the enrolled, logged once; a reader (a manager) gets the funnel and no
    names, so nothing to log."""
    funnel = Course.objects.with_funnel().get(pk=course.pk)
    context = {"course": course, "funnel": funnel, "employers": course.employers.all(), "casework": casework}
    if casework:
        enrolments = list(course.enrolments.select_related("citizen"))
        services.course_record_view(user=request.user, course=course, citizens=[e.citizen for e in enrolments])
        context.update(enrolments=enrolments, enrol_form=enrol_form or EnrolForm(course=course))
    return render(request, "courses/detail.html", context, status=status)


@require_GET
@role_required(*READ_ROLES)
def course_detail(request, pk):
    course, casework = get_course_for_reader(request.user, pk)
    return _detail(request, course, casework=casework)


@sensitive_post_parameters("cpr")
@require_POST
@role_required(*CASEWORK_ROLES)
def enrol(request, pk):
    course = get_course_for_user(request.user, pk)
    form = EnrolForm(request.POST, course=course)
    if form.is_valid():
        try:
            services.enrolment_create(user=request.user, course=course, citizen=form.citizen)
        except ValidationError as error:
            form.add_error("cpr", error)
        else:
            messages.success(request, _("Borgeren er tilmeldt forløbet."))
            return redirect("courses:detail", pk=course.pk)
    return _detail(request, course, enrol_form=form, status=400)


@require_POST
@role_required(*CASEWORK_ROLES)
def enrolment_status(request, pk, enrolment_pk):
    course = get_course_for_user(request.user, pk)
    enrolment = get_object_or_404(course.enrolments.select_related("citizen"), pk=enrolment_pk)
    form = EnrolmentStatusForm(request.POST)
    if form.is_valid():
        try:
            services.enrolment_set_status(
                user=request.user,
                enrolment=enrolment,
                status=form.cleaned_data["status"],
                expected_status=form.cleaned_data["expected_status"] or enrolment.status,
            )
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, _("Status er gemt."))
    else:
        messages.error(request, next(iter(form.errors.values()))[0])
    return redirect("courses:detail", pk=course.pk)
