"""A workshop as an iCalendar file (RFC 5545), so members can put it in their calendar."""

from icalendar import Calendar, Event
from django.utils import timezone


def workshop_ics(workshop, request):
    calendar = Calendar()
    calendar.add("prodid", "-//Task Force//Workshop//DA")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"workshop-{workshop.pk}@{request.get_host().split(':')[0]}")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", workshop.starts_at)
    event.add("dtend", workshop.ends_at)
    event.add("summary", f"{workshop.task_force.name}: {workshop.title}")
    if workshop.place:
        event.add("location", workshop.place)
    if workshop.agenda:
        event.add("description", workshop.agenda)
    calendar.add_component(event)
    return calendar.to_ical()
