from django.contrib import admin

from audit.admin_logging import AccessLoggedAdminMixin

from .models import Course, Enrolment


class EnrolmentInline(admin.TabularInline):
    model = Enrolment
    extra = 0
    raw_id_fields = ["citizen"]


@admin.register(Course)
class CourseAdmin(AccessLoggedAdminMixin, admin.ModelAdmin):
    list_display = ["title", "municipality", "start_date", "end_date", "job_promise"]
    list_filter = ["municipality", "job_promise"]
    search_fields = ["title"]
    filter_horizontal = ["employers"]
    inlines = [EnrolmentInline]
    # The course list names no citizen; a course's page names the enrolled (the raw id widget).
    log_list_pages = False

    def citizens_listed(self, course):
        return [enrolment.citizen for enrolment in course.enrolments.select_related("citizen")]
