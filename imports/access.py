"""The only door to import jobs on a user's behalf: a job is its uploader's alone (its report
names lines of their file), so anyone else gets 404."""

from django.shortcuts import get_object_or_404

from .models import ImportJob


def jobs_for_user(user):
    return ImportJob.objects.filter(uploader=user)


def get_job_for_user(user, pk):
    return get_object_or_404(jobs_for_user(user).select_related("municipality", "consultant"), pk=pk)
