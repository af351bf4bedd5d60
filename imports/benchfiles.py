"""Valid import files of any length, the same for the same seed: for the import tests and
benchmarks (tests/imports/test_bulk.py) and for trying an import by hand.

`write_citizens_file(path, n, seed=…)` writes n citizens of one municipality, and
`write_placements_file(path, n, seed=…)` n placements of the citizens the citizens file of
the same seed holds (import that one first), at new employers that the file creates. Every
CPR number is valid and passes the modulus-11 check (no warnings), every CVR number is valid,
and no two placements of a citizen at one employer overlap: each file imports cleanly, and a
second time changes nothing. Files of two seeds may share a CPR number or two (a row of the
second then updates a citizen of the first).

Nothing here touches the database; only the standard library is used, so the generator runs
anywhere. Synthetic data only: names from short lists, numbers from a seeded generator.
"""

import csv
import random
from datetime import date, timedelta

CITIZEN_HEADER = [
    "cpr", "first_name", "last_name", "municipality", "unemployed_since", "flexjob_approved_on",
    "weekly_hours", "phone", "email", "consultant",
]
PLACEMENT_HEADER = ["cpr", "cvr", "employer_name", "sector", "kind", "hours_per_week", "start_date", "end_date"]

FIRST_NAMES = ["Anne", "Mette", "Hanne", "Lene", "Maria", "Peter", "Lars", "Søren", "Jens", "Niels", "Pia", "Ole"]
LAST_NAMES = ["Nielsen", "Jensen", "Hansen", "Pedersen", "Andersen", "Larsen", "Sørensen", "Madsen", "Møller"]
KINDS = ["fleksjob", "minifleksjob", "praktik", "ordinært job", "flexjob"]
# Born 1940–1999: with a 7th digit of 0–3 the century is the 1900s whatever the year (CPR rules).
_FIRST_BIRTH = date(1940, 1, 1)
_BIRTH_DAYS = (date(1999, 12, 31) - _FIRST_BIRTH).days + 1
_SERIAL_PREFIXES = 400  # 000–399: the first three digits of the serial
_CPR_WEIGHTS = (4, 3, 2, 7, 6, 5, 4, 3, 2)
_CVR_WEIGHTS = (2, 7, 6, 5, 4, 3, 2)
# One new employer for this many placements.
PLACEMENTS_PER_EMPLOYER = 20


def cpr_numbers(n, seed=0):
    """n different CPR numbers (10 digits), each passing the modulus-11 check, in a fixed
    order for the seed. Numbers for a citizens file and its placements file of one seed."""
    rng = random.Random(f"cpr-{seed}")
    numbers, seen = [], set()
    while len(numbers) < n:
        slot = rng.randrange(_BIRTH_DAYS * _SERIAL_PREFIXES)
        if slot in seen:
            continue
        seen.add(slot)
        number = _cpr(slot)
        if number is not None:
            numbers.append(number)
    return numbers


def _cpr(slot):
    """The number of a slot (birth day, serial prefix), or None where no check digit fits."""
    born = _FIRST_BIRTH + timedelta(days=slot // _SERIAL_PREFIXES)
    first = f"{born:%d%m%y}{slot % _SERIAL_PREFIXES:03d}"
    check = -sum(int(d) * w for d, w in zip(first, _CPR_WEIGHTS)) % 11
    return None if check == 10 else f"{first}{check}"


def cvr_numbers(n, seed=0):
    """n different valid CVR numbers (modulus 11), in a fixed order for the seed."""
    rng = random.Random(f"cvr-{seed}")
    numbers, seen = [], set()
    while len(numbers) < n:
        first = f"{rng.randrange(1_000_000, 10_000_000):07d}"
        check = -sum(int(d) * w for d, w in zip(first, _CVR_WEIGHTS)) % 11
        number = f"{first}{check}"
        if check == 10 or number in seen:
            continue
        seen.add(number)
        numbers.append(number)
    return numbers


def write_citizens_file(path, n, *, seed=0, municipality=607, consultant="", delimiter=","):
    """Write a citizens file of n rows to `path` (CSV, UTF-8) and return n. `consultant`, a
    username, goes into every row's consultant column (empty by default)."""
    rng = random.Random(f"citizens-{seed}")
    today = date.today()
    with open(path, "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, delimiter=delimiter)
        writer.writerow(CITIZEN_HEADER)
        for i, number in enumerate(cpr_numbers(n, seed)):
            unemployed = today - timedelta(days=rng.randrange(30, 3000))
            writer.writerow([
                f"{number[:6]}-{number[6:]}" if i % 2 else number,
                rng.choice(FIRST_NAMES),
                rng.choice(LAST_NAMES),
                municipality,
                unemployed.isoformat() if i % 5 else "",
                (unemployed + timedelta(days=90)).strftime("%d.%m.%Y") if i % 3 == 0 else "",
                f"{rng.randrange(4, 30)},5" if i % 4 else "",
                f"{20000000 + i}" if i % 2 else "",
                f"borger{i}@example.dk" if i % 3 == 1 else "",
                consultant,
            ])
    return n


def write_placements_file(path, n, *, seed=0, citizens=None, delimiter=","):
    """Write a placements file of n rows to `path` (CSV, UTF-8) and return n: placements of the
    first `citizens` citizens (n by default) of the citizens file of the same seed, in turn; a
    citizen's next placement starts after the one before has ended (each has a period of 400
    days of its own)."""
    citizens = citizens or n
    numbers = cpr_numbers(citizens, seed)
    employers = cvr_numbers(max(1, n // PLACEMENTS_PER_EMPLOYER), seed)
    rng = random.Random(f"placements-{seed}")
    first_start = date.today() - timedelta(days=3 * 365)
    with open(path, "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, delimiter=delimiter)
        writer.writerow(PLACEMENT_HEADER)
        for i in range(n):
            number = numbers[i % citizens]
            round_ = i // citizens  # the citizen's how-manieth placement: a period of its own
            e = i % len(employers)
            kind = KINDS[i % len(KINDS)]
            start = first_start + timedelta(days=400 * round_ + rng.randrange(0, 300))
            # Every placement but the citizen's last ends, so the next may follow it.
            ends = round_ < (n - 1 - i % citizens) // citizens or i % 3 == 0
            writer.writerow([
                number,
                employers[e],
                f"Virksomhed {e} ApS",
                "privat" if e % 3 else "offentlig",
                kind,
                f"{rng.randrange(4, 11)}" if kind == "minifleksjob" else f"{rng.randrange(4, 37)},5",
                start.isoformat() if i % 2 else start.strftime("%d-%m-%Y"),
                (start + timedelta(days=rng.randrange(30, 100))).isoformat() if ends else "",
            ])
    return n
