"""The log never holds a CPR number in clear: after a day's work that types, searches and
reveals CPR numbers everywhere they can be typed, no column of any row of the log's tables
holds one, with or without its dash."""

from datetime import date

from django.apps import apps
from django.db import connection
from django.urls import reverse

from courses.models import Course
from tests.factories import make_citizen, make_cpr


def _all_values():
    """Every column of every row of the audit app's tables, as the database holds them."""
    values = []
    with connection.cursor() as cursor:
        for model in apps.get_app_config("audit").get_models():
            table = connection.ops.quote_name(model._meta.db_table)
            cursor.execute(f"SELECT * FROM {table}")
            values += [str(value) for row in cursor.fetchall() for value in row]
    return values


def test_no_cpr_number_reaches_the_log(client, login, consultant, manager, admin_user, fredericia, employer):
    number = make_cpr("241205")
    formatted = f"{number[:6]}-{number[6:]}"
    bente = make_citizen(fredericia, consultant=consultant, cpr=number, first_name="Bente", last_name="Sørensen")
    other = make_citizen(fredericia, consultant=consultant)
    course = Course.objects.create(municipality=fredericia, title="Køkken", start_date=date(2026, 2, 2))

    # A failed sign-in with the number typed as the user name.
    client.post(reverse("accounts:login"), {"username": formatted, "password": "x"})

    work = login(consultant)
    for q in (number, formatted, f"Bente {formatted}", f"{number}9"):
        work.post(reverse("citizens:list"), {"q": q, "consultant": ""})
        work.post(reverse("citizens:list"), {"q": q, "consultant": ""}, HTTP_HX_REQUEST="true")
    reveal = reverse("citizens:reveal_cpr", args=[bente.pk])
    work.post(reveal, {"purpose": "borgerhenvendelse"})
    work.post(reveal, {"purpose": "andet", "detail": f"Ringede om {formatted}"})  # refused
    work.post(reveal, {"purpose": "andet", "detail": "Ringede selv"}, HTTP_HX_REQUEST="true")
    work.get(reverse("placements:create_for_employer", args=[employer.pk]))
    work.post(reverse("placements:create_for_employer", args=[employer.pk]), {"citizen_cpr": formatted, "kind": "flexjob"})
    work.post(reverse("courses:enrol", args=[course.pk]), {"cpr": formatted})
    work.post(reverse("courses:enrol", args=[course.pk]), {"cpr": other.reveal_cpr()})
    work.get(reverse("courses:detail", args=[course.pk]))

    audit = login(manager)
    audit.post(reverse("audit:search"), {"cpr": formatted})
    audit.post(reverse("audit:search"), {"cpr": number, "date_from": "2026-01-01"})
    audit.get(reverse("audit:report", args=[bente.pk]))

    admin = login(admin_user)
    admin.get(reverse("admin:citizens_citizen_changelist"), {"q": formatted})
    admin.get(reverse("admin:citizens_citizen_change", args=[bente.pk]))

    values = _all_values()
    assert len(values) > 100, "the journey wrote too little to prove anything"
    text = "\n".join(values)
    for secret in (number, formatted, other.reveal_cpr(), other.reveal_cpr().replace("-", "")):
        assert secret not in text
    # The searches are there, by what they were: a CPR search.
    assert "CPR-søgning" in text
