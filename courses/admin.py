from django.contrib import admin

from .models import Course, Enrolment


class EnrolmentInline(admin.TabularInline):
    model = Enrolment
    extra = 0
    raw_id_fields = ["citizen"]


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ["title", "municipality", "start_date", "end_date", "job_promise"]
    list_filter = ["municipality", "job_promise"]
    search_fields = ["title"]
    filter_horizontal = ["employers"]
    inlines = [EnrolmentInline]
