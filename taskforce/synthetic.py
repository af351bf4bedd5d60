"""Synthetic data at national scale: `manage.py generate_data --citizens N` brings the database
to N realistic citizens with employers, openings, placements, follow-ups, courses, enrolments
and case notes in proportion, in one municipality or spread over Denmark's 98.

Owns the generator and nothing else: it writes rows as the app's own code would leave them
(the CPR number through citizens.cpr, the follow-ups from placements.models.follow_ups_planned,
the target-group flag by citizens.models.target_group_cutoff, a citizen "Ansat" exactly while
a placement runs), but in bulk: PostgreSQL's COPY, plain batched INSERTs elsewhere.

Deterministic: the k-th generated citizen is drawn from its own random stream, seeded from
(seed, k), so it is the same whichever run and batch adds it. What a citizen brings with it
(an employer with every 10th citizen of a municipality, a course with every 250th, a
consultant per 300) is keyed on the citizen's number within its municipality. Generated
citizens are known by their consultant (`gen-konsulent-<code>-<n>`), so a later run counts
them and carries on numbering where the last one stopped.

Unique numbers: the k-th citizen's CPR number is a bijection of k (birth date and serial), its
serials chosen by the calendar year (a window of 300 of the 6,000 per birth date, in a 20-year
cycle), so numbers generated in different years cannot meet either. CVR numbers are
50000000 and up (real ones are issued far below that so far), unique within a municipality.
"""

import contextlib
import math
import queue
import random
import threading
import time as clock
from collections import deque
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from functools import lru_cache, partial
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, connections, transaction
from django.db.models import Count, DateField, DecimalField
from django.db.models.fields import NOT_PROVIDED
from django.utils import timezone

from accounts.models import Membership, Municipality, Role
from citizens.cpr import cpr_birth_date, cpr_encrypt, cpr_hash
from citizens.models import CaseNote, Citizen, target_group_cutoff
from courses.models import Course, Enrolment
from employers.models import ContactPerson, Employer, JobTask, Opening
from placements.models import FollowUp, Placement, follow_ups_planned
from placements.signals import employers_recount
from progress.figures import figures_rebuild
from progress.models import Target

# --- Proportions ---------------------------------------------------------------------------------

CONSULTANT_PREFIX = "gen-konsulent-"
CITIZENS_PER_CONSULTANT = 300
MAX_CONSULTANTS_PER_MUNICIPALITY = 150
CITIZENS_PER_EMPLOYER = 10
CITIZENS_PER_COURSE = 250
OPENING_SHARE = 0.2  # of employers
CONTACT_SHARE = 0.8  # of employers
# The target a run gives a municipality with none of its own (targets_ensure).
GENERATED_TARGET_TITLE = "Nye fleksjob {year} (genererede data)"
ENROL_SHARE = 0.07  # of citizens: ~17 per course
PLACEMENT_SHARE = 0.49  # of citizens not enrolled (with those hired after a course: ~1 in 2)
CASE_NOTE_SHARE = 0.35
# A placement goes to one of the municipality's latest generated employers: the generator
# keeps only these in memory, however many it has made.
EMPLOYER_WINDOW = 500

# Rows are sent every FLUSH citizens, committed every BATCH: memory stays the same whatever N.
FLUSH = 10_000
BATCH = 50_000

# CPR serials: 6,000 per birth date (the 7th digit 0–3, 4 and 9 for the 1900s; 4–9 for the
# 2000s up to 2036), split into 20 year windows of 300.
SERIALS_PER_YEAR = 300
YEAR_CYCLE = 20
CENTURY_DIGITS = {1900: "012349", 2000: "456789"}
# Coprime with any count of birth dates times 300 (a prime above them): spreads consecutive
# citizens over birth dates and serials.
CPR_STRIDE = 1_000_003
CPR_OFFSET = 123_457  # so that citizen 0 is not born on the window's first day
# Ages 18–67 all year: born from 1 January 67 years before this year to 31 December 19 years before.
OLDEST, YOUNGEST = 67, 19

CVR_BASE = 500_000  # the six leading digits of a generated CVR number run 500000–999999
CVR_SPAN = 500_000
CVR_STRIDE = 7_919  # prime, coprime with CVR_SPAN
CVR_WEIGHTS = (2, 7, 6, 5, 4, 3, 2, 1)

TZ = ZoneInfo(settings.TIME_ZONE)
YEAR = 365

FLEXJOB = Placement.Kind.FLEXJOB.value
INTERNSHIP = Placement.Kind.INTERNSHIP.value
ORDINARY_JOB = Placement.Kind.ORDINARY_JOB.value
S = Citizen.Status

# --- Denmark's 98 municipalities: code, name, inhabitants (thousands, roughly) ------------------

MUNICIPALITIES = [
    (101, "København", 660), (147, "Frederiksberg", 104), (151, "Ballerup", 52), (153, "Brøndby", 39),
    (155, "Dragør", 15), (157, "Gentofte", 75), (159, "Gladsaxe", 70), (161, "Glostrup", 24),
    (163, "Herlev", 30), (165, "Albertslund", 28), (167, "Hvidovre", 54), (169, "Høje-Taastrup", 58),
    (173, "Lyngby-Taarbæk", 57), (175, "Rødovre", 41), (183, "Ishøj", 24), (185, "Tårnby", 43),
    (187, "Vallensbæk", 17), (190, "Furesø", 41), (201, "Allerød", 26), (210, "Fredensborg", 41),
    (217, "Helsingør", 63), (219, "Hillerød", 52), (223, "Hørsholm", 25), (230, "Rudersdal", 57),
    (240, "Egedal", 44), (250, "Frederikssund", 46), (253, "Greve", 51), (259, "Køge", 62),
    (260, "Halsnæs", 31), (265, "Roskilde", 90), (269, "Solrød", 24), (270, "Gribskov", 41),
    (306, "Odsherred", 33), (316, "Holbæk", 73), (320, "Faxe", 37), (326, "Kalundborg", 49),
    (329, "Ringsted", 36), (330, "Slagelse", 80), (336, "Stevns", 23), (340, "Sorø", 30),
    (350, "Lejre", 29), (360, "Lolland", 40), (370, "Næstved", 84), (376, "Guldborgsund", 60),
    (390, "Vordingborg", 45), (400, "Bornholm", 39), (410, "Middelfart", 39), (420, "Assens", 41),
    (430, "Faaborg-Midtfyn", 52), (440, "Kerteminde", 24), (450, "Nyborg", 32), (461, "Odense", 207),
    (479, "Svendborg", 59), (480, "Nordfyns", 29), (482, "Langeland", 12), (492, "Ærø", 6),
    (510, "Haderslev", 56), (530, "Billund", 27), (540, "Sønderborg", 74), (550, "Tønder", 37),
    (561, "Esbjerg", 116), (563, "Fanø", 4), (573, "Varde", 50), (575, "Vejen", 43),
    (580, "Aabenraa", 59), (607, "Fredericia", 52), (615, "Horsens", 98), (621, "Kolding", 95),
    (630, "Vejle", 120), (657, "Herning", 90), (661, "Holstebro", 59), (665, "Lemvig", 19),
    (671, "Struer", 21), (706, "Syddjurs", 43), (707, "Norddjurs", 37), (710, "Favrskov", 49),
    (727, "Odder", 23), (730, "Randers", 99), (740, "Silkeborg", 96), (741, "Samsø", 4),
    (746, "Skanderborg", 64), (751, "Aarhus", 365), (756, "Ikast-Brande", 42), (760, "Ringkøbing-Skjern", 56),
    (766, "Hedensted", 47), (773, "Morsø", 20), (779, "Skive", 46), (787, "Thisted", 43),
    (791, "Viborg", 97), (810, "Brønderslev", 36), (813, "Frederikshavn", 59), (820, "Vesthimmerlands", 36),
    (825, "Læsø", 2), (840, "Rebild", 30), (846, "Mariagerfjord", 41), (849, "Jammerbugt", 38),
    (851, "Aalborg", 221), (860, "Hjørring", 64),
]
MUNICIPALITY_NAMES = {code: name for code, name, _size in MUNICIPALITIES}

# --- Words ------------------------------------------------------------------------------------------

# The CPR number's last digit says the sex (even: female), and the first name follows it.
FEMALE_NAMES = (
    "Anne Kirsten Mette Hanne Anna Helle Susanne Lene Maria Marianne Lone Camilla Pia Louise Inge "
    "Charlotte Bente Karen Tina Gitte Jette Christina Julie Ida Emma Sofie Laura Katrine Birgitte "
    "Rikke Signe Maja Cecilie Line Sarah Mia Caroline Ulla Tanja Malene Heidi Dorthe Trine Eva Else "
    "Lisbeth Annette Pernille Stine Nanna Josefine Freja Mathilde Amalie Sanne Vibeke Karina Lotte "
    "Winnie Fatima Mariam Leyla Ayse"
).split()
MALE_NAMES = (
    "Peter Jens Lars Michael Henrik Thomas Søren Jan Niels Christian Martin Jørgen Anders Hans Morten "
    "Jesper Ole Per Erik Rasmus Mads Kim Poul Frederik Mikkel Bo Kasper Torben Steen Carsten Brian "
    "Allan Kenneth Jacob Mathias Jonas Nikolaj Simon Tobias Emil Lasse Daniel Kristian Flemming "
    "Bjarne Claus Dennis René John Kurt Leif Bent Finn Svend Oliver Lucas Magnus Ali Mohammad Ahmed "
    "Omar Hassan Mehmet"
).split()
LAST_NAMES = (
    "Nielsen Jensen Hansen Andersen Pedersen Christensen Larsen Sørensen Rasmussen Jørgensen Petersen "
    "Madsen Kristensen Olsen Thomsen Christiansen Poulsen Johansen Møller Mortensen Knudsen Jakobsen "
    "Jacobsen Mikkelsen Olesen Frederiksen Laursen Henriksen Lund Schmidt Eriksen Holm Kristiansen "
    "Clausen Simonsen Svendsen Andreasen Iversen Jeppesen Mogensen Jespersen Nissen Lauridsen Kjær "
    "Nørgaard Jepsen Frandsen Søndergaard Østergaard Kjeldsen Dam Vestergaard Berg Thygesen Bach "
    "Lassen Kragh Friis Bruun Winther Koch Juhl Mathiasen Dahl Karlsen Steffensen Nygaard Bertelsen "
    "Hald Krogh Enevoldsen Bang Pallesen Buch Toft Vinther Lind Gregersen Munk Carlsen Riis Johnsen "
    "Damgaard Mølgaard Skov Bak Hermansen Ravn Thorsen Villadsen Kofoed Bisgaard Gade Brandt Overgaard "
    "Ahmed Ali Hussein Yilmaz Khan Nguyen"
).split()
STREETS = (
    "Kirkevej Skolevej Stationsvej Møllevej Bakkevej Engvej Søndergade Nørregade Vestergade Østergade "
    "Storegade Havnegade Byvej Skovvej Strandvej Birkevej Egevej Bøgevej Lindevej Rosenvej Violvej "
    "Åvej Markvej Parkvej Jernbanegade Algade Hovedgaden Fabriksvej Industrivej Håndværkervej"
).split()
PHONE_PREFIXES = ("20", "21", "22", "23", "24", "25", "26", "27", "28", "29", "30", "31", "40", "41",
                  "42", "50", "51", "52", "53", "60", "61", "71", "81", "91", "93")
ASCII = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "é": "e", "ü": "u"})

# Private industries and the trades that name companies in them.
PRIVATE_INDUSTRIES = (
    ("Byggeri", ("Tømrerforretning", "Murerfirma", "Malerfirma", "Byggefirma", "VVS")),
    ("Industri", ("Maskinfabrik", "Metal", "Plast", "Emballage", "Stålindustri")),
    ("Restauration", ("Café", "Kro", "Kantine", "Restaurant", "Bageri")),
    ("Service", ("Rengøring", "Vaskeri", "Facility Service", "Ejendomsservice")),
    ("Transport", ("Logistik", "Vognmandsforretning", "Transport", "Flytteforretning")),
    ("Detailhandel", ("Købmand", "Boligmontering", "Byggemarked", "Tøjbutik", "Blomster")),
    ("Landbrug og gartneri", ("Planteskole", "Gartneri", "Maskinstation")),
    ("Pleje", ("Plejehjem", "Hjemmepleje", "Bosted")),
    ("Genbrug", ("Genbrug", "Værksted", "Genbrugsbutik")),
    ("Kontor og IT", ("Bogholderi", "IT-Service", "Revision")),
)
PRIVATE_INDUSTRY_WEIGHTS = (14, 12, 14, 14, 9, 14, 6, 7, 4, 6)
COMPANY_FORMS = ("ApS", "A/S", "I/S", "")
PUBLIC_DEPARTMENTS = (
    ("Ældreplejen", "Pleje"), ("Hjemmeplejen", "Pleje"), ("Daginstitutioner", "Børn og unge"),
    ("Skoleområdet", "Undervisning"), ("Teknik og Miljø", "Offentlig administration"),
    ("Vej og Park", "Teknik og miljø"), ("Kultur og Fritid", "Kultur og fritid"),
    ("Borgerservice", "Offentlig administration"), ("Rengøringsservice", "Service"),
    ("Køkken og Kantine", "Restauration"), ("Psykiatri og Handicap", "Pleje"), ("Sundhed", "Sundhed"),
)
SIZES = ("micro", "small", "medium", "large")  # ranked: a placement leans to the larger employer
PRIVATE_SIZE_WEIGHTS = (45, 30, 17, 8)
PUBLIC_SIZE_WEIGHTS = (0, 10, 40, 50)
NEXT_STEPS = (
    "Ring om nye opgaver i foråret", "Aftal virksomhedsbesøg", "Send kandidatprofiler",
    "Følg op på praktikforløbet", "Inviter til task force-møde", "Drøft mini-fleksjob med lederen",
)
CONTACT_TITLES = ("Direktør", "Indehaver", "HR-konsulent", "Driftsleder", "Køkkenchef", "Afdelingsleder")
OPENING_TITLES = (
    "Køkkenmedhjælper", "Rengøringsassistent", "Lagermedarbejder", "Pedelmedhjælper", "Kontormedhjælper",
    "Butiksmedhjælper", "Gartnermedhjælper", "Vaskerimedarbejder", "Aktivitetsmedarbejder",
    "Chaufførmedhjælper", "Produktionsmedarbejder", "Caféassistent",
)
OPENING_TASKS = (
    "Opvask, klargøring af grøntsager og oprydning.", "Let rengøring af fællesarealer.",
    "Pakning og modtagelse af varer.", "Små reparationer og vedligehold.",
    "Post, kopiering og arkivering.", "Opfyldning af varer og kontakt med kunder.",
    "Vask og sammenlægning af linned.", "Aktiviteter og samvær med beboerne.",
)
OPENING_HOURS = ((2, 6), (4, 8), (5, 10), (8, 12), (10, 15), (10, 20), (15, 25), (20, 37))
POSITIONS = (1, 1, 1, 1, 2, 2, 3, 4, 5, 10)
COURSE_THEMES = (
    "Køkken og kantine", "Rengøring og service", "Lager og logistik", "Pleje og omsorg, praktisk hjælp",
    "Pedel- og viceværtopgaver", "Butik og detail", "Grønne områder", "Administration og kontor",
    "Vaskeri og linned", "Café og servering",
)
ACCOMMODATIONS = (
    "Mulighed for pauser efter behov.", "Ingen tunge løft.", "Fleksibel mødetid.", "Arbejde i eget tempo.",
    "Faste opgaver og en fast kontaktperson.", "Mulighed for at sidde ned.", "Intet natarbejde.",
)
COMPETENCES = (
    "Erfaring med køkkenarbejde.", "Truckcertifikat.", "Kørekort B.", "Erfaring med rengøring.",
    "God til computer.", "Erfaring fra lager.", "Tidligere ansat i detailhandel.", "Erfaring med pleje.",
    "Håndværksmæssig erfaring.", "Taler dansk, engelsk og arabisk.",
)
WISHES = (
    "Arbejde med mennesker.", "Udendørs arbejde.", "Faste arbejdstider.", "Kort transporttid.",
    "Praktiske opgaver.", "Job i en lille virksomhed.", "Arbejde om formiddagen.",
)
TRAVEL = ("0-5", "5-15", "15-30", "30+", "")
CASE_NOTES = (
    "Samtale med borgeren om ønsker til arbejde og mulige skånehensyn.",
    "Borgeren er motiveret for et fleksjob med få timer om ugen.",
    "Telefonisk kontakt. Aftalt nyt møde om fire uger.",
    "Borgeren har været med på virksomhedsbesøg og vil gerne starte i praktik.",
    "Opfølgning på helbred: borgeren har det bedre og ønsker flere timer.",
    "Borgeren har været til samtale hos virksomheden og venter på svar.",
    "Transport til arbejdspladsen drøftet; vi undersøger muligheder.",
    "Borgeren ønsker opgaver uden tunge løft.",
    "Rehabiliteringsteamets indstilling gennemgået med borgeren.",
    "Aftalt at borgeren deltager i et forløb med jobløfte.",
)
FOLLOW_UP_NOTES = (
    "", "", "", "Alt går godt.", "Borgeren trives, og arbejdsgiveren er tilfreds.",
    "Timerne er justeret efter aftale.", "Skånehensyn gennemgået; ingen ændringer.",
)
OUTCOMES = ("still_employed", "hours_changed", "not_reached")
OUTCOME_WEIGHTS = (76, 10, 14)
END_REASONS = ("resigned", "dismissed", "health", "new_job", "period_ended", "other")
END_REASON_WEIGHTS = (20, 18, 25, 22, 5, 10)
STATUS_AFTER = ("", "ended", "registered")  # empty: "Klar til job"
STATUS_AFTER_WEIGHTS = (75, 18, 7)


def _hours(*values):
    return tuple(Decimal(str(v)) for v in values)


MINI_HOURS = _hours(2, 3, 4, 4, 4.5, 5, 5, 6, 6, 7, 7.5, 8, 8, 9, 10, 10)
FLEX_HOURS = _hours(11, 12, 12, 12.5, 14, 15, 15, 16, 18, 20, 20, 22.5, 24, 25, 28, 30, 32, 37)
INTERNSHIP_HOURS = _hours(8, 10, 12, 15, 18, 20, 20, 25, 30, 37)
ORDINARY_HOURS = _hours(15, 20, 25, 30, 32, 37, 37, 37)
CAPACITY_HOURS = _hours(4, 5, 6, 8, 10, 12, 15, 20, 25, 30, 37)
EXTRA_HOURS = _hours(1, 2, 3, 5, 8)
MINI_SHARE = 0.35  # of flex jobs

# --- Numbers ------------------------------------------------------------------------------------------


class GenerationLimit(Exception):
    """More citizens than the numbering holds in one year (about 5.3 million)."""


def birth_window(year):
    """(first birth date, number of days) of the citizens generated in `year`: 18–67 years old."""
    first = date(year - OLDEST, 1, 1)
    return first, (date(year - YOUNGEST, 12, 31) - first).days + 1


def cpr_number(k, today):
    """The CPR number of the k-th generated citizen in today's year: a valid birth date whose
    century agrees with the 7th digit, unique for every k and never one of another year's."""
    first, days = birth_window(today.year)
    capacity = days * SERIALS_PER_YEAR
    if k >= capacity:
        raise GenerationLimit(f"at most {capacity:,} generated citizens")
    mixed = (k * CPR_STRIDE + CPR_OFFSET) % capacity
    day, serial_in_year = divmod(mixed, SERIALS_PER_YEAR)
    birth = first + timedelta(days=day)
    serial = (today.year % YEAR_CYCLE) * SERIALS_PER_YEAR + serial_in_year
    digit7 = CENTURY_DIGITS[1900 if birth.year < 2000 else 2000][serial // 1000]
    return f"{birth.day:02d}{birth.month:02d}{birth.year % 100:02d}{digit7}{serial % 1000:03d}"


def cvr_number(code, e):
    """The CVR number of the e-th generated employer of municipality `code`: modulus-11 valid,
    unique within the municipality (and mostly across them)."""
    prefix = f"{CVR_BASE + (e * CVR_STRIDE + code * 131) % CVR_SPAN}"
    partial = sum(w * int(d) for w, d in zip(CVR_WEIGHTS, prefix))
    for digit7 in range(10):
        check = -(partial + CVR_WEIGHTS[6] * digit7) % 11
        if check < 10:
            return f"{prefix}{digit7}{check}"
    raise AssertionError("unreachable: two of the ten digits always give a check digit")


# --- Writing rows -------------------------------------------------------------------------------------

OpeningTask = Opening.catalogue_tasks.through
CourseEmployer = Course.employers.through

# The columns each generated row holds, in order; rows are tuples in this order.
COLUMNS = {
    # placement_count: 0 here, counted once the load is done (_after_load).
    Employer: ("id", "municipality_id", "name", "cvr", "sector", "social_economic", "size", "industry",
               "address", "last_contact", "next_step", "created_at", "updated_at", "placement_count"),
    ContactPerson: ("id", "employer_id", "name", "title", "phone", "email"),
    Opening: ("id", "employer_id", "title", "tasks", "hours_min", "hours_max", "positions",
              "from_task_force", "is_open", "created_at"),
    OpeningTask: ("id", "opening_id", "jobtask_id"),
    Course: ("id", "municipality_id", "title", "description", "start_date", "end_date", "job_promise",
             "created_at"),
    CourseEmployer: ("id", "course_id", "employer_id"),
    Citizen: ("id", "municipality_id", "first_name", "last_name", "cpr_encrypted", "cpr_hash", "birth_date",
              "phone", "email", "address", "unemployed_since", "flexjob_approved_on", "weekly_hours",
              "competences", "wishes", "travel_distance", "consent_to_share_profile", "consultant_id",
              "status", "last_contact_on", "case_closed_on", "anonymised_at", "created_at", "updated_at"),
    Enrolment: ("id", "course_id", "citizen_id", "status", "enrolled_on"),
    Placement: ("id", "municipality_id", "citizen_id", "employer_id", "opening_id", "kind", "hours_per_week",
                "contracted_hours", "start_date", "end_date", "permanent", "first_flexjob",
                "retention_flexjob", "accommodations", "in_target_group", "end_reason",
                "citizen_status_after", "created_by_id", "created_at", "updated_at"),
    FollowUp: ("id", "placement_id", "kind", "months", "due_on", "done_on", "outcome", "note", "done_by_id",
               "created_at"),
    CaseNote: ("id", "citizen_id", "author_id", "created_at", "text"),
}


def check_columns():
    """Refuse to run when a model has a required column the generator does not fill (a field
    added since): better a clear message than half a batch refused by the database."""
    for model, columns in COLUMNS.items():
        for f in model._meta.concrete_fields:
            if f.attname not in columns and not f.null and f.db_default is NOT_PROVIDED:
                raise RuntimeError(f"taskforce/synthetic.py does not fill {model.__name__}.{f.attname}")


class IdPool:
    """Primary keys handed out before the rows are written, so rows can point at each other:
    reserved from the table's sequence on PostgreSQL (safe beside other writers), counted on
    from the highest in use elsewhere (SQLite: the generator is the only writer)."""

    MAX_CHUNK = 10_000

    def __init__(self, model):
        self.table = model._meta.db_table
        self.free = deque()
        self.chunk = 100  # doubled at each refill: few ids left unused by a small run
        self.next_id = None
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [self.table])
                self.sequence = cursor.fetchone()[0]
        else:
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT MAX(id) FROM {connection.ops.quote_name(self.table)}")
                self.next_id = (cursor.fetchone()[0] or 0) + 1

    def take(self):
        if self.next_id is not None:
            self.next_id += 1
            return self.next_id - 1
        if not self.free:
            with connection.cursor() as cursor:
                cursor.execute("SELECT nextval(%s::regclass) FROM generate_series(1, %s)", [self.sequence, self.chunk])
                self.free.extend(row[0] for row in cursor.fetchall())
            self.chunk = min(2 * self.chunk, self.MAX_CHUNK)
        return self.free.popleft()


def write_rows(model, rows):
    """Insert `rows` (tuples in COLUMNS[model] order): COPY on PostgreSQL, else batched INSERTs
    with each value prepared by its field as the ORM would."""
    if not rows:
        return
    columns = COLUMNS[model]
    fields = [model._meta.get_field(_field_name(model, attname)) for attname in columns]
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    names = ", ".join(quote(f.column) for f in fields)
    if connection.vendor == "postgresql":
        connection.ensure_connection()
        # Django's own exceptions (IntegrityError …) for what the raw cursor raises.
        with connection.wrap_database_errors, connection.connection.cursor() as cursor:
            with cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        return
    # Only dates, times and decimals need the backend's own form; the rest goes as it is.
    real = connections[connection.alias]
    prepare = [
        partial(_prepared, f, real) if isinstance(f, (DateField, DecimalField)) else None for f in fields
    ]
    prepared = [tuple(p(v) if p else v for p, v in zip(prepare, row)) for row in rows]
    placeholders = ", ".join(["%s"] * len(columns))
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({placeholders})", prepared)


def _prepared(f, real, value):
    return f.get_db_prep_save(value, real)


def _field_name(model, attname):
    for f in model._meta.concrete_fields:
        if f.attname == attname:
            return f.name
    raise LookupError(f"{model.__name__} has no column {attname}")


# --- The generator -----------------------------------------------------------------------------------


@dataclass
class Place:
    """A municipality as the generator sees it."""

    id: int
    code: int
    name: str
    weight: int = 1
    generated: int = 0  # generated citizens so far: the next one's number within the municipality
    added: int = 0  # in this run
    employers: deque = field(default_factory=lambda: deque(maxlen=EMPLOYER_WINDOW))  # (id, size rank, created_on)
    course: tuple | None = None  # (id, start_date, end_date, job_promise)


@dataclass
class Outcome:
    """What a run did."""

    existing: int
    wanted: int
    added: int = 0
    rows: int = 0
    seconds: float = 0.0
    municipality_ids: list = field(default_factory=list)


# random.Random's choice and randint, without their checks (several times faster; the
# generator draws some forty numbers per citizen).
def _pick(rng, seq):
    return seq[int(rng.random() * len(seq))]


def _int(rng, low, high):
    return low + int(rng.random() * (high - low + 1))


def _at(day, rng):
    """A moment of a working day."""
    return datetime.combine(day, time(8 + int(rng.random() * 8), int(rng.random() * 60)), tzinfo=TZ)


def _between(rng, first, last):
    """A day from `first` to `last` (both included); `first` when the span is empty."""
    span = (last - first).days
    return first + timedelta(days=_int(rng, 0, span)) if span > 0 else first


def _email(rng, first, last, domain="example.org"):
    name = f"{first}.{last}".lower().translate(ASCII)
    return f"{name}{int(rng.random() * 100) if rng.random() < 0.5 else ''}@{domain}"


def _phone(rng):
    return f"{_pick(rng, PHONE_PREFIXES)}{int(rng.random() * 1_000_000):06d}"


class Generator:
    """Generates citizen k with what it brings (employer, course, consultant, enrolment,
    placement, follow-ups, case notes) into rows, handed over by take_rows to be written."""

    def __init__(self, *, places, fixed, seed, today):
        check_columns()
        _follow_ups.cache_clear()
        self.places = places
        self.fixed = fixed
        self.seed = seed
        self.today = today
        self.rng = random.Random()
        self.cum_weights = []
        total = 0
        for place in places:
            total += place.weight
            self.cum_weights.append(total)
        self.ids = {model: IdPool(model) for model in COLUMNS}
        self.rows = {model: [] for model in COLUMNS}
        self.consultants = _generated_consultants()
        self.job_tasks = list(JobTask.objects.filter(active=True).order_by("pk").values_list("pk", flat=True))
        self.written = 0

    # -- per citizen ---------------------------------------------------------------------------------

    def citizen(self, k):
        rng = self.rng
        rng.seed(f"taskforce:{self.seed}:{k}")
        place = self.fixed or rng.choices(self.places, cum_weights=self.cum_weights)[0]
        j = place.generated
        place.generated += 1
        place.added += 1
        if j % CITIZENS_PER_EMPLOYER == 0:
            self.employer(rng, place, j // CITIZENS_PER_EMPLOYER)
        if j % CITIZENS_PER_COURSE == 0:
            self.course(rng, place, j // CITIZENS_PER_COURSE)
        consultant = self.consultant(place, j)
        citizen_id = self.ids[Citizen].take()
        today = self.today

        enrolment = self.enrolment_plan(rng, place)
        placement = self.placement_plan(rng, place, enrolment)
        events = [d for d in (enrolment and enrolment[2], placement and placement["start"]) if d]
        first_event = min(events) if events else None
        unemployed_since = self.unemployed_since(rng, first_event)
        registered = _between(rng, unemployed_since or today - timedelta(days=_int(rng, 0, 3 * YEAR)),
                              (first_event - timedelta(days=7)) if first_event else today)
        if first_event and registered > first_event:
            registered = first_event
        registered_at = _at(registered, rng)

        contacts = [registered]
        hours = None
        if enrolment:
            course_id, status, enrolled_on = enrolment
            self.rows[Enrolment].append((self.ids[Enrolment].take(), course_id, citizen_id, status, enrolled_on))
        if placement:
            hours = placement["hours"]
            contacts += self.placement(rng, place, citizen_id, consultant, placement, unemployed_since, registered_at)
        contacts += self.case_notes(rng, citizen_id, consultant, registered)

        number = cpr_number(k, today)
        female = int(number[-1]) % 2 == 0
        first_name = _pick(rng, FEMALE_NAMES if female else MALE_NAMES)
        last_name = _pick(rng, LAST_NAMES)
        status, closed_on, changed_on = self.status(rng, placement, enrolment, registered)
        approved = self.flexjob_approved_on(rng, placement, unemployed_since or registered)
        capacity = None if rng.random() < 0.1 else (hours or _pick(rng, CAPACITY_HOURS))
        if capacity is not None and hours is not None and rng.random() < 0.3:
            capacity = min(capacity + _pick(rng, EXTRA_HOURS), Decimal(37))
        last_contact = max(contacts)
        updated = max(registered, last_contact, changed_on)
        self.rows[Citizen].append((
            citizen_id, place.id, first_name, last_name, cpr_encrypt(number), cpr_hash(number),
            cpr_birth_date(number),
            _phone(rng) if rng.random() < 0.75 else "",
            _email(rng, first_name, last_name) if rng.random() < 0.45 else "",
            f"{_pick(rng, STREETS)} {_int(rng, 1, 120)}, {place.name}",
            unemployed_since, approved, capacity,
            _pick(rng, COMPETENCES) if rng.random() < 0.5 else "",
            _pick(rng, WISHES) if rng.random() < 0.5 else "",
            _pick(rng, TRAVEL), rng.random() < 0.4, consultant, status, last_contact, closed_on, None,
            registered_at, registered_at if updated == registered else _at(updated, rng),
        ))

    def unemployed_since(self, rng, first_event):
        """0–8 years back; before the first course or job, often by over a year (the target group)."""
        today = self.today
        earliest = today - timedelta(days=8 * YEAR)
        if first_event is None:
            if rng.random() < 0.02:
                return None  # not recorded
            return today - timedelta(days=int(8 * YEAR * rng.random() ** 1.4))
        gap = int(rng.uniform(14, YEAR) if rng.random() < 0.4 else rng.uniform(YEAR + 1, 6 * YEAR))
        return max(first_event - timedelta(days=gap), earliest)

    def flexjob_approved_on(self, rng, placement, since):
        today = self.today
        if placement and placement["kind"] == FLEXJOB:
            return _between(rng, since, placement["start"] - timedelta(days=1))
        if rng.random() < 0.6:
            return _between(rng, since, today)
        return None

    def status(self, rng, placement, enrolment, registered):
        """(status, case closed on, changed on): "Ansat" exactly while a placement runs."""
        today = self.today
        if placement:
            end = placement["end"]
            if end is None or end >= today:
                return S.PLACED.value, None, placement["start"]
            status = placement["status_after"] or S.READY.value
            if status == S.ENDED.value:
                closed = _between(rng, end, min(end + timedelta(days=60), today))
                return status, closed, closed
            return status, None, end
        if enrolment and enrolment[1] == Enrolment.Status.ENROLLED.value:
            return S.IN_COURSE.value, None, enrolment[2]
        draw = rng.random()
        if draw < 0.45:
            return S.REGISTERED.value, None, registered
        if draw < 0.9:
            return S.READY.value, None, registered
        closed = _between(rng, registered, today)
        return S.ENDED.value, closed, closed

    # -- what a citizen brings -----------------------------------------------------------------------

    def consultant(self, place, j):
        n = j // CITIZENS_PER_CONSULTANT
        if n >= MAX_CONSULTANTS_PER_MUNICIPALITY:
            n = j % MAX_CONSULTANTS_PER_MUNICIPALITY
        key = (place.code, n + 1)
        if key not in self.consultants:
            self.consultants[key] = _create_consultant(place, n + 1)
        return self.consultants[key]

    def employer(self, rng, place, e):
        today = self.today
        employer_id = self.ids[Employer].take()
        public = rng.random() < 0.25
        if public:
            department, industry = _pick(rng, PUBLIC_DEPARTMENTS)
            name = f"{place.name} Kommune, {department}"
            size = rng.choices(SIZES, PUBLIC_SIZE_WEIGHTS)[0]
            social_economic = False
        else:
            industry, trades = rng.choices(PRIVATE_INDUSTRIES, PRIVATE_INDUSTRY_WEIGHTS)[0]
            size = rng.choices(SIZES, PRIVATE_SIZE_WEIGHTS)[0]
            social_economic = rng.random() < (0.25 if industry == "Genbrug" else 0.03)
            name = _company_name(rng, place, _pick(rng, trades))
        # Registered before the six years of placements, so none started before its employer was known.
        created = today - timedelta(days=_int(rng, 6 * YEAR + 30, 7 * YEAR))
        created_at = _at(created, rng)
        last_contact = _between(rng, created, today) if rng.random() < 0.6 else None
        self.rows[Employer].append((
            employer_id, place.id, name, cvr_number(place.code, e), "public" if public else "private",
            social_economic, size, industry, f"{_pick(rng, STREETS)} {_int(rng, 1, 80)}, {place.name}",
            last_contact, _pick(rng, NEXT_STEPS) if rng.random() < 0.3 else "", created_at,
            _at(last_contact, rng) if last_contact else created_at, 0,
        ))
        if rng.random() < CONTACT_SHARE:
            first, last = _pick(rng, FEMALE_NAMES + MALE_NAMES), _pick(rng, LAST_NAMES)
            self.rows[ContactPerson].append((
                self.ids[ContactPerson].take(), employer_id, f"{first} {last}", _pick(rng, CONTACT_TITLES),
                _phone(rng), _email(rng, first, last, "example.com"),
            ))
        if rng.random() < OPENING_SHARE:
            self.opening(rng, employer_id, created)
        place.employers.append((employer_id, SIZES.index(size), created))

    def opening(self, rng, employer_id, employer_created):
        opening_id = self.ids[Opening].take()
        low, high = _pick(rng, OPENING_HOURS)
        self.rows[Opening].append((
            opening_id, employer_id, _pick(rng, OPENING_TITLES), _pick(rng, OPENING_TASKS), Decimal(low),
            Decimal(high), _pick(rng, POSITIONS), rng.random() < 0.25, rng.random() < 0.6,
            _at(_between(rng, employer_created, self.today), rng),
        ))
        if self.job_tasks and rng.random() < 0.5:
            for task_id in rng.sample(self.job_tasks, min(len(self.job_tasks), _int(rng, 1, 3))):
                self.rows[OpeningTask].append((self.ids[OpeningTask].take(), opening_id, task_id))

    def course(self, rng, place, c):
        today = self.today
        course_id = self.ids[Course].take()
        start = today - timedelta(days=_int(rng, 20, 6 * YEAR))
        end = start + timedelta(weeks=_int(rng, 4, 16))
        theme = _pick(rng, COURSE_THEMES)
        job_promise = rng.random() < 0.75
        self.rows[Course].append((
            course_id, place.id, f"{theme}, hold {c + 1}",
            f"Forløb i {theme.lower()}{' med jobløfte' if job_promise else ''}.",
            start, end, job_promise, _at(start - timedelta(days=_int(rng, 14, 60)), rng),
        ))
        window = list(place.employers)
        picks = _int(rng, 1, 3) if window else 0
        for employer_id in {_pick(rng, window)[0] for _ in range(picks)}:
            self.rows[CourseEmployer].append((self.ids[CourseEmployer].take(), course_id, employer_id))
        place.course = (course_id, start, end, job_promise)

    def enrolment_plan(self, rng, place):
        """(course id, status, enrolled on) in the municipality's latest course, or None."""
        if place.course is None or rng.random() >= ENROL_SHARE:
            return None
        course_id, start, end, _promise = place.course
        if end >= self.today:
            status = Enrolment.Status.ENROLLED.value
        else:
            status = Enrolment.Status.COMPLETED.value if rng.random() < 0.88 else Enrolment.Status.DROPPED.value
        return course_id, status, start - timedelta(days=_int(rng, 0, 21))

    def placement_plan(self, rng, place, enrolment):
        """The placement's main facts, or None: after a completed course (a job promise mostly
        kept), else for about half the citizens, started over the last six years."""
        today = self.today
        if enrolment:
            if enrolment[1] != Enrolment.Status.COMPLETED.value or not place.employers:
                return None
            _id, _start, course_end, promise = place.course
            if rng.random() >= (0.85 if promise else 0.4):
                return None
            start = course_end + timedelta(days=_int(rng, 1, 45))
            if start > today:
                return None
            kind = FLEXJOB if rng.random() < 0.85 else ORDINARY_JOB
        else:
            if rng.random() >= PLACEMENT_SHARE or not place.employers:
                return None
            start = today - timedelta(days=_int(rng, 0, 6 * YEAR))
            draw = rng.random()
            kind = FLEXJOB if draw < 0.65 else INTERNSHIP if draw < 0.85 else ORDINARY_JOB
        plan = {"kind": kind, "start": start, "end": None, "end_reason": "", "status_after": ""}
        if kind == FLEXJOB:
            plan["hours"] = _pick(rng, MINI_HOURS if rng.random() < MINI_SHARE else FLEX_HOURS)
            plan["first"] = rng.random() < 0.35
            plan["permanent"] = rng.random() < (0.15 if plan["first"] else 0.85)
        else:
            plan["hours"] = _pick(rng, INTERNSHIP_HOURS if kind == INTERNSHIP else ORDINARY_HOURS)
            plan["first"] = False
            plan["permanent"] = kind == ORDINARY_JOB and rng.random() < 0.8
        if kind == INTERNSHIP:
            plan["end"] = start + timedelta(weeks=_int(rng, 4, 13))
            if plan["end"] < today:
                plan["end_reason"] = "period_ended" if rng.random() < 0.85 else _pick(rng, END_REASONS)
        elif rng.random() < 0.14 and (today - start).days > 60:
            plan["end"] = _between(rng, start + timedelta(days=60), today - timedelta(days=1))
            plan["end_reason"] = rng.choices(END_REASONS, END_REASON_WEIGHTS)[0]
        if plan["end_reason"]:
            plan["status_after"] = rng.choices(STATUS_AFTER, STATUS_AFTER_WEIGHTS)[0]
        return plan

    def placement(self, rng, place, citizen_id, consultant, plan, unemployed_since, registered_at):
        """Write the placement and its follow-ups; returns the days the citizen was in contact."""
        today = self.today
        placement_id = self.ids[Placement].take()
        # One of two employers of the latest: the larger (large employers hire more).
        window = place.employers
        a, b = window[int(rng.random() * len(window))], window[int(rng.random() * len(window))]
        employer_id, _rank, employer_created = a if a[1] >= b[1] else b
        hours, kind, start, end = plan["hours"], plan["kind"], plan["start"], plan["end"]
        contracted = None
        if kind == FLEXJOB and rng.random() < 0.15:
            contracted = min(hours + _pick(rng, EXTRA_HOURS), Decimal(37))
        in_target_group = unemployed_since is not None and unemployed_since < target_group_cutoff(start)
        created_on = max(start - timedelta(days=7), registered_at.date(), employer_created)
        created_at = _at(min(created_on, today), rng)
        ended_at = _at(end, rng) if plan["end_reason"] else None
        self.rows[Placement].append((
            placement_id, place.id, citizen_id, employer_id, None, kind, hours, contracted, start, end,
            plan["permanent"], plan["first"], kind == FLEXJOB and rng.random() < 0.08,
            " ".join(rng.sample(ACCOMMODATIONS, _int(rng, 1, 2))) if kind == FLEXJOB and rng.random() < 0.5 else "",
            in_target_group, plan["end_reason"], plan["status_after"], consultant, created_at,
            max(ended_at, created_at) if ended_at else created_at,
        ))
        contacts = []
        for follow_kind, months, due_on in _follow_ups(start, kind, plan["first"], plan["permanent"], end):
            done_on = outcome = None
            note = ""
            if due_on < today and rng.random() < 0.88:
                done_on = min(max(due_on + timedelta(days=_int(rng, -10, 20)), start), end or today, today)
                outcome = rng.choices(OUTCOMES, OUTCOME_WEIGHTS)[0]
                note = _pick(rng, FOLLOW_UP_NOTES)
                if outcome != "not_reached":
                    contacts.append(done_on)
            self.rows[FollowUp].append((
                self.ids[FollowUp].take(), placement_id, follow_kind, months, due_on, done_on,
                outcome or "", note, consultant if done_on else None, created_at,
            ))
        return contacts

    def case_notes(self, rng, citizen_id, consultant, registered):
        if rng.random() >= CASE_NOTE_SHARE:
            return []
        days = sorted(_between(rng, registered, self.today) for _ in range(_int(rng, 1, 3)))
        for day in days:
            self.rows[CaseNote].append((
                self.ids[CaseNote].take(), citizen_id, consultant, _at(day, rng), _pick(rng, CASE_NOTES),
            ))
        return days

    # -- writing ---------------------------------------------------------------------------------------

    def take_rows(self):
        """The rows generated since the last call, handed over to be written."""
        rows, self.rows = self.rows, {model: [] for model in COLUMNS}
        self.written += sum(len(table_rows) for table_rows in rows.values())
        return rows


class InlineWriter:
    """Writes each chunk at once, on the caller's connection: a transaction per batch."""

    def __init__(self):
        self.atomic = None

    def write(self, rows, *, end_of_batch):
        if self.atomic is None:
            self.atomic = transaction.atomic()
            self.atomic.__enter__()
        for model, table_rows in rows.items():
            write_rows(model, table_rows)
        if end_of_batch:
            self.atomic, atomic = None, self.atomic
            atomic.__exit__(None, None, None)

    def close(self, error=None):
        if self.atomic is not None:
            self.atomic.__exit__(type(error), error, None)


class ThreadedWriter:
    """Writes chunks in a thread with a connection of its own, a transaction per batch, so that
    PostgreSQL works through one chunk (COPY, indexes, the foreign keys checked at commit) while
    the next is generated: the two cores both busy. One chunk waits at most (memory stays flat).
    The rows may point at what the generating connection made (users), which commits at once."""

    def __init__(self):
        self.queue = queue.Queue(maxsize=1)
        self.error = None
        self.thread = threading.Thread(target=self._run, name="generate_data-writer", daemon=True)
        self.thread.start()

    def _run(self):
        try:
            transaction.set_autocommit(False)
            while (item := self.queue.get()) is not None:
                rows, end_of_batch = item
                for model, table_rows in rows.items():
                    write_rows(model, table_rows)
                if end_of_batch:
                    transaction.commit()
        except BaseException as error:  # handed to the generating thread, which raises it
            self.error = error
            with contextlib.suppress(Exception):
                transaction.rollback()
            while self.queue.get() is not None:
                pass  # let the generating thread hand over what it has, and stop
        finally:
            connection.close()

    def write(self, rows, *, end_of_batch):
        self._raise()
        self.queue.put((rows, end_of_batch))

    def close(self, error=None):
        self.queue.put(None)
        self.thread.join()
        if error is None:
            self._raise()

    def _raise(self):
        if self.error is not None:
            raise self.error


@lru_cache(maxsize=65_536)
def _follow_ups(start_date, kind, first_flexjob, permanent, end_date):
    """placements.models.follow_ups_planned, remembered: most placements share their start day
    and flags with others (cleared by each Generator, in case the settings changed)."""
    return tuple(
        (follow_kind.value, months, due_on)
        for follow_kind, months, due_on in follow_ups_planned(
            start_date=start_date, kind=kind, first_flexjob=first_flexjob, permanent=permanent, end_date=end_date
        )
    )


def _company_name(rng, place, trade):
    form = _pick(rng, COMPANY_FORMS)
    pattern = int(rng.random() * 4)
    if pattern == 0:
        name = f"{_pick(rng, LAST_NAMES)}s {trade}"
    elif pattern == 1:
        name = f"{place.name} {trade}"
    elif pattern == 2:
        name = f"{_pick(rng, LAST_NAMES)} & Søn {trade}"
    else:
        name = f"{trade} {_pick(rng, STREETS)}"
    return f"{name} {form}".strip()


def _generated_consultants():
    """{(municipality code, n): user id} of the generated consultants."""
    found = {}
    users = get_user_model().objects.filter(username__startswith=CONSULTANT_PREFIX)
    for user_id, username in users.values_list("pk", "username"):
        code, _, n = username.removeprefix(CONSULTANT_PREFIX).partition("-")
        if code.isdigit() and n.isdigit():
            found[(int(code), int(n))] = user_id
    return found


def _create_consultant(place, n):
    rng = random.Random(f"consultant:{place.code}:{n}")
    user = get_user_model()(
        username=f"{CONSULTANT_PREFIX}{place.code}-{n}",
        first_name=_pick(rng, FEMALE_NAMES + MALE_NAMES),
        last_name=_pick(rng, LAST_NAMES),
    )
    user.set_unusable_password()
    user.save()
    Membership.objects.get_or_create(user=user, municipality_id=place.id, role=Role.CONSULTANT)
    return user.pk


# --- The run -------------------------------------------------------------------------------------------


def places_for(municipality_code):
    """[Place] to generate into: the one municipality (created from the table of real ones when
    missing), or all 98 weighted by their inhabitants. Raises LookupError for a code that is
    neither in the database nor a real municipality's."""
    if municipality_code is not None:
        found = Municipality.objects.filter(code=municipality_code).first()
        if found is None:
            if municipality_code not in MUNICIPALITY_NAMES:
                raise LookupError(municipality_code)
            found = Municipality.objects.create(code=municipality_code, name=MUNICIPALITY_NAMES[municipality_code])
        return [Place(id=found.pk, code=found.code, name=found.name)]
    existing = {m.code: m for m in Municipality.objects.filter(code__in=MUNICIPALITY_NAMES)}
    places = []
    for code, name, size in MUNICIPALITIES:
        municipality = existing.get(code) or Municipality.objects.create(code=code, name=name)
        places.append(Place(id=municipality.pk, code=code, name=municipality.name, weight=size))
    return places


def generated_citizens():
    """The citizens generated here: known by their consultant."""
    return Citizen.objects.filter(consultant__username__startswith=CONSULTANT_PREFIX)


def _resume(places):
    """Pick up where earlier runs stopped: each place's generated count, its latest employers
    and its latest course. Returns the number of generated citizens (the next k)."""
    counts = dict(generated_citizens().values_list("municipality_id").annotate(n=Count("pk")).order_by())
    for place in places:
        place.generated = counts.get(place.id, 0)
        if place.generated:
            _resume_employers(place)
            _resume_course(place)
    return sum(counts.values())


def _resume_employers(place):
    made = math.ceil(place.generated / CITIZENS_PER_EMPLOYER)
    numbers = [cvr_number(place.code, e) for e in range(max(0, made - EMPLOYER_WINDOW), made)]
    found = {
        cvr: (pk, SIZES.index(size) if size in SIZES else 0, created_at.astimezone(TZ).date())
        for pk, cvr, size, created_at in Employer.objects.filter(municipality_id=place.id, cvr__in=numbers)
        .values_list("pk", "cvr", "size", "created_at")
    }
    place.employers.extend(found[cvr] for cvr in numbers if cvr in found)


def _resume_course(place):
    latest = (place.generated - 1) // CITIZENS_PER_COURSE
    course = (
        Course.objects.filter(municipality_id=place.id, title__endswith=f", hold {latest + 1}", end_date__isnull=False)
        .order_by("-pk")
        .values_list("pk", "start_date", "end_date", "job_promise")
        .first()
    )
    place.course = course


def citizens_in_scope(municipality_code):
    """The citizens there are: in the municipality when given (none when it is still to be
    created), else in the whole database. LookupError for a code no municipality has."""
    if municipality_code is None:
        return Citizen.objects.count()
    if municipality_code not in MUNICIPALITY_NAMES and not Municipality.objects.filter(code=municipality_code).exists():
        raise LookupError(municipality_code)
    return Citizen.objects.filter(municipality__code=municipality_code).count()


def generate(*, citizens, municipality_code=None, seed=0, say=print):
    """Bring the database to `citizens` citizens (in the municipality `municipality_code`, else in
    all), adding only what is missing. Returns an Outcome. `say` prints a progress line."""
    started = clock.monotonic()
    today = timezone.localdate()
    existing = citizens_in_scope(municipality_code)
    outcome = Outcome(existing=existing, wanted=citizens)
    missing = citizens - existing
    if missing <= 0:
        return outcome
    with transaction.atomic():
        places = places_for(municipality_code)
    with _single_run():
        k = _resume(places)
        _first, days = birth_window(today.year)
        if k + missing > days * SERIALS_PER_YEAR:
            raise GenerationLimit(f"at most {days * SERIALS_PER_YEAR:,} generated citizens")
        generator = Generator(places=places, fixed=places[0] if municipality_code is not None else None,
                              seed=seed, today=today)
        # Inside a caller's transaction (a test) everything stays on its connection.
        threaded = connection.vendor == "postgresql" and not connection.in_atomic_block
        writer = ThreadedWriter() if threaded else InlineWriter()
        try:
            k = _generate(generator, writer, k, missing, outcome, say)
        except BaseException as error:
            writer.close(error)
            raise
        writer.close()
        touched = [place for place in places if place.added]
        with transaction.atomic():
            targets_ensure(touched, today)
        outcome.municipality_ids = [place.id for place in touched]
        _after_load(outcome.municipality_ids)
    outcome.rows = generator.written
    outcome.seconds = clock.monotonic() - started
    return outcome


def _generate(generator, writer, k, missing, outcome, say):
    """Generate `missing` citizens from number k on, handing chunks to `writer`."""
    started = clock.monotonic()
    while outcome.added < missing:
        batch = min(BATCH, missing - outcome.added)
        for first in range(0, batch, FLUSH):
            for _ in range(min(FLUSH, batch - first)):
                generator.citizen(k)
                k += 1
            writer.write(generator.take_rows(), end_of_batch=first + FLUSH >= batch)
        outcome.added += batch
        seconds = clock.monotonic() - started
        say(
            f"{outcome.existing + outcome.added:,} of {outcome.wanted:,} citizens: {outcome.added:,} generated, "
            f"{generator.written:,} rows in {seconds:.1f} s "
            f"({outcome.added / seconds:,.0f} citizens/s, {generator.written / seconds:,.0f} rows/s)"
        )
    return k


class _single_run:
    """One generator at a time on PostgreSQL: a transaction-level advisory lock, held for the
    whole run by a connection of its own in an open transaction. (A session-level lock would
    stay, behind PgBouncer in transaction pooling, on whichever server connection took it.)"""

    KEY = 0x7461736B  # "task"

    def __enter__(self):
        self.holder = None
        if connection.vendor == "postgresql":
            self.holder = connections.create_connection(connection.alias)
            self.holder.set_autocommit(False)
            with self.holder.cursor() as cursor:
                cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [self.KEY])
                taken = cursor.fetchone()[0]
            if not taken:
                self.holder.close()
                raise RuntimeError("another generate_data is running")
        return self

    def __exit__(self, *exc):
        if self.holder is not None:
            self.holder.close()  # its transaction ends, and the lock with it


def targets_ensure(places, today):
    """A target for this year for each place that has none of its own, so the dashboard has
    something to show: a fifth more new flex jobs than started in the last twelve months. Its
    title says it was generated, and a later run moves its number with the citizens it adds."""
    year = today.year
    start, end = date(year, 1, 1), date(year, 12, 31)
    title = GENERATED_TARGET_TITLE.format(year=year)
    ids = [place.id for place in places]
    this_year = Target.objects.filter(municipality_id__in=ids, period_start__lte=end, period_end__gte=start)
    own = set(this_year.exclude(title=title).values_list("municipality_id", flat=True))
    generated = {target.municipality_id: target for target in this_year.filter(title=title)}
    started = dict(
        Placement.objects.filter(municipality_id__in=ids, kind=FLEXJOB, start_date__gt=today - timedelta(days=YEAR))
        .filter(start_date__lte=today)
        .values_list("municipality_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    new, moved = [], []
    for place_id in ids:
        if place_id in own:
            continue
        number = max(5, round(started.get(place_id, 0) * 1.2))
        target = generated.get(place_id)
        if target is None:
            new.append(Target(municipality_id=place_id, title=title, number=number, period_start=start, period_end=end))
        elif target.number != number:
            target.number = number
            moved.append(target)
    Target.objects.bulk_create(new)
    Target.objects.bulk_update(moved, ["number"])


def _after_load(municipality_ids):
    """COPY and plain INSERTs tell no one: the kept dashboard figures of the municipalities
    written to are counted again from their placements (progress.figures)."""
    figures_rebuild(municipality_ids=municipality_ids)
    for municipality_id in municipality_ids:
        employers_recount(municipality_id=municipality_id)

