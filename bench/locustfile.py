"""The people of the load test (`make load`, bench/load.py starts Locust with this file).

Three kinds of user, 3:1:1: consultants (their worklist, the citizen list, a search by name, a
citizen's page, the employer list, the placement form), managers (the dashboard, the team's
overdue tasks, now and then an export or the status PDF) and task-force leaders (the
workspace's pages). Each simulated person signs in once, before its first task, outside the
figures (the password hasher is not a page), as a user bench/load.py prepared: LOAD_DATA names a
JSON file with the usernames, the password and the ids of records to open.

Nothing here imports Django: Locust runs in a process of its own, against gunicorn.
"""

import itertools
import json
import os
import random
import re

import requests
from locust import HttpUser, between, task

DATA = json.loads(open(os.environ["LOAD_DATA"], encoding="utf-8").read()) if os.environ.get("LOAD_DATA") else {}
WAIT = [float(s) for s in os.environ.get("LOAD_WAIT", "0.5 2.5").split()]
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_usernames = {role: itertools.cycle(DATA.get(role) or ["-"]) for role in ("consultants", "managers", "leaders")}


class SignedIn(HttpUser):
    abstract = True
    role = ""
    wait_time = between(*WAIT)

    def on_start(self):
        """Sign in through the login form (with its CSRF token), outside Locust's figures, and
        carry the session over to the client whose requests are counted."""
        self.username = next(_usernames[self.role])
        with requests.Session() as session:
            page = session.get(self.host + "/accounts/login/", timeout=30)
            token = CSRF.search(page.text).group(1)
            answer = session.post(
                self.host + "/accounts/login/",
                data={"username": self.username, "password": DATA["password"], "csrfmiddlewaretoken": token},
                timeout=60,
            )
            if "/accounts/login/" in answer.url:
                raise RuntimeError(f"{self.username} could not sign in (HTTP {answer.status_code})")
            self.client.cookies.update(session.cookies)
            self.start_page = answer.url.removeprefix(self.host)

    def page(self, path, name=None):
        return self.client.get(path, name=name or path)


class Consultant(SignedIn):
    weight = 3
    role = "consultants"

    def on_start(self):
        super().on_start()
        page = self.client.get("/citizens/", name="/citizens/")
        self.csrf = CSRF.search(page.text).group(1)

    @task(4)
    def worklist(self):
        self.page("/tasks/")

    @task(3)
    def citizen_list(self):
        self.page("/citizens/")

    @task(3)
    def search_by_name(self):
        self.client.post(
            "/citizens/", name="/citizens/ (search by name)",
            data={"q": random.choice(DATA["names"]), "consultant": "", "csrfmiddlewaretoken": self.csrf},
        )

    @task(4)
    def citizen(self):
        self.page(f"/citizens/{random.choice(DATA['citizens'])}/", name="/citizens/[id]/")

    @task(2)
    def employer_list(self):
        self.page("/employers/")

    @task(1)
    def employer(self):
        self.page(f"/employers/{random.choice(DATA['employers'])}/", name="/employers/[id]/")

    @task(1)
    def placement_form(self):
        self.page(f"/placements/new/citizen/{random.choice(DATA['citizens'])}/", name="/placements/new/citizen/[id]/")


class Manager(SignedIn):
    weight = 1
    role = "managers"

    @task(10)
    def dashboard(self):
        self.page("/dashboard/")

    @task(2)
    def team(self):
        self.page("/tasks/team/")

    @task(1)
    def export_csv(self):
        self.page(DATA["downloads"]["csv"], name="/dashboard/export.csv")

    @task(1)
    def export_xlsx(self):
        self.page(DATA["downloads"]["xlsx"], name="/dashboard/export.xlsx")

    @task(1)
    def status_pdf(self):
        self.page(DATA["downloads"]["pdf"], name="/dashboard/status.pdf")


class Leader(SignedIn):
    weight = 1
    role = "leaders"

    def on_start(self):
        super().on_start()
        self.home = DATA["task_force"]

    @task(4)
    def home_page(self):
        self.page(self.home, name="/taskforce/[id]/")

    @task(2)
    def actions(self):
        self.page(self.home + "actions/", name="/taskforce/[id]/actions/")

    @task(2)
    def solutions(self):
        self.page(self.home + "solutions/", name="/taskforce/[id]/solutions/")

    @task(2)
    def candidates(self):
        self.page(self.home + "candidates/", name="/taskforce/[id]/candidates/")

    @task(1)
    def workshops(self):
        self.page(self.home + "workshops/", name="/taskforce/[id]/workshops/")

    @task(1)
    def vision(self):
        self.page(self.home + "vision/", name="/taskforce/[id]/vision/")

    @task(1)
    def ranking(self):
        self.page(self.home + "ranking/", name="/taskforce/[id]/ranking/")
