"""The load test's users: a realistic mix of what officers, schools, desk officers and
citizens do on a busy day. Run by bench/load/run.py (and, a few seconds of it, by
cchc/core/tests/test_load_short.py); it reads the scenario written by bench/load/prepare.py
from $LOAD_SCENARIO.

- OfficerUser: a reform officer or head of a department or commune office opens the home
  page, the plan dashboard (and its indicator panel), the plan list, the reports page and
  the completeness table, the dossier list and the one-stop statistics.
- SchoolUser: a school principal on deadline day opens the reports page, opens the month's
  report, saves a draft, then submits it, month after month (the scenario's schedule).
- DeskUser: a one-stop desk officer receives dossiers (the receive form, GET and POST) and
  looks at the dossier list and the new dossier.
- CitizenUser: a citizen looks a dossier up on the public status page, or answers the
  public satisfaction survey (form, POST, thank-you page). Each request comes from its own
  address (X-Forwarded-For; the load server trusts it) so the per-address limits, which
  protect against one robot, do not refuse a crowd of citizens.

Every user signs in once when it starts (the school again only when its account has no
month left). Names in the statistics are "<role>: <page>"; a request that does not answer
with the expected status is a failure.

Environment: LOAD_SCENARIO (path), LOAD_WAIT ("min,max" seconds between tasks, default
"0.5,2"), LOAD_PROCESSES (the number of locust processes, to share the school accounts).
"""

from __future__ import annotations

import html
import itertools
import json
import os
import random
import re
from http.cookiejar import Cookie, DefaultCookiePolicy
from urllib.parse import urlencode, urlparse

from locust import FastHttpUser, between, constant, task

SCENARIO = json.loads(
    open(os.environ.get("LOAD_SCENARIO", "var/load/scenario.json"), encoding="utf-8").read()
)
WAIT = [float(x) for x in os.environ.get("LOAD_WAIT", "0.5,2").split(",")]
PROCESSES = int(os.environ.get("LOAD_PROCESSES", "1"))
PLAN_LINK = re.compile(r'href="/plans/(\d+)/')
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_school_counter = itertools.count()


TAG = re.compile(r"<(/?)(form|input|textarea|select|option)\b([^>]*)>", re.IGNORECASE)
ATTR = re.compile(r"""([^\s=/>"']+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+)))?""")
TEXTAREA_END = re.compile(r"</textarea\s*>", re.IGNORECASE)


def _attrs(text: str) -> dict[str, str]:
    return {
        m.group(1).lower(): html.unescape(next((g for g in m.groups()[1:] if g is not None), ""))
        for m in ATTR.finditer(text)
    }


class Form:
    """The fields of the page's POST form that has a field named `field`: inputs (name,
    type, value, checked), textareas and selects (options, selected).

    Read with regular expressions over the form tags only, not a full HTML parser: locust
    runs on the server's cores, and parsing every page in Python would cost more CPU than
    many of the requests it measures (our pages' markup is regular, made by one template set).
    """

    def __init__(self, page: str, field: str):
        self.forms: list[list[dict]] = []
        current = select = None
        for m in TAG.finditer(page):
            closing, tag, a = m.group(1), m.group(2).lower(), _attrs(m.group(3))
            if tag == "form":
                if closing:
                    current = None
                elif (a.get("method") or "").lower() == "post":
                    current = []
                    self.forms.append(current)
                continue
            if current is None:
                continue
            if tag == "input" and a.get("name") and not closing:
                current.append(
                    {
                        "tag": "input",
                        "name": a["name"],
                        "type": (a.get("type") or "text").lower(),
                        "value": a.get("value") or "",
                        "checked": "checked" in a,
                    }
                )
            elif tag == "textarea" and a.get("name") and not closing:
                end = TEXTAREA_END.search(page, m.end())
                text = page[m.end() : end.start() if end else len(page)]
                current.append({"tag": "textarea", "name": a["name"], "value": html.unescape(text)})
            elif tag == "select" and not closing and a.get("name"):
                select = {"tag": "select", "name": a["name"], "options": [], "value": None}
                current.append(select)
            elif tag == "option" and not closing and select is not None:
                value = a.get("value") or ""
                select["options"].append(value)
                if "selected" in a:
                    select["value"] = value
            elif tag == "select" and closing and select is not None:
                if select["value"] is None:  # a browser sends the first option
                    select["value"] = select["options"][0] if select["options"] else ""
                select = None
        self.fields = next((f for f in self.forms if any(x["name"] == field for x in f)), [])

    def data(self) -> dict[str, list[str]]:
        """What a browser would send as the form stands (without any submit button)."""
        out: dict[str, list[str]] = {}
        for f in self.fields:
            if f["tag"] == "input" and f["type"] in ("radio", "checkbox") and not f["checked"]:
                continue
            if f["tag"] == "input" and f["type"] in ("submit", "button", "file"):
                continue
            out.setdefault(f["name"], []).append(f["value"])
        return out

    def choices(self, name: str) -> list[str]:
        return [f["value"] for f in self.fields if f["name"] == name and f["tag"] == "input"] or next(
            (f["options"] for f in self.fields if f["name"] == name and f["tag"] == "select"), []
        )


def _address() -> str:
    return f"10.{random.randint(0, 255)}.{random.randint(0, 255)}.{random.randint(1, 254)}"


class CchcUser(FastHttpUser):
    abstract = True
    wait_time = between(*WAIT)
    role = "user"
    # The cookies are Secure in production (DEBUG=0); the load runs on plain http on
    # loopback, so the client sends them over http too.
    insecure = True

    def on_start(self):
        self.client.cookiejar.set_policy(DefaultCookiePolicy(secure_protocols=("https", "wss", "http")))

    def get(self, url, name, expect=200, **kwargs):
        with self.client.get(
            url, name=f"{self.role}: {name}", catch_response=True, allow_redirects=False, **kwargs
        ) as response:
            if response.status_code != expect:
                response.failure(f"{response.status_code} instead of {expect}")
            else:
                response.success()  # an expected 404 too
            return response

    def post(self, url, name, data, expect=302, **kwargs):
        headers = {
            "Referer": self.host + url,
            "Content-Type": "application/x-www-form-urlencoded",
            **kwargs.pop("headers", {}),
        }
        body = urlencode(data, doseq=True)
        with self.client.post(
            url,
            name=f"{self.role}: {name}",
            data=body,
            headers=headers,
            catch_response=True,
            allow_redirects=False,
            **kwargs,
        ) as response:
            if response.status_code != expect:
                response.failure(f"{response.status_code} instead of {expect}")
            return response

    def sign_in(self, username: str) -> None:
        """Take up the account's session prepared by prepare.py (a user already at work),
        or sign in through the form when the scenario has none."""
        key = SCENARIO.get("sessions", {}).get(username)
        if key is None:
            self.log_in(username)
            return
        host = urlparse(self.host).hostname
        self.client.cookiejar.set_cookie(
            Cookie(0, "sessionid", key, None, False, host, False, False, "/", True, True, None, False, None,
                   None, {})
        )  # fmt: skip

    def log_in(self, username: str) -> bool:
        page = self.get("/login/", "login form")
        token = CSRF.search(page.text or "")
        if token is None:
            return False
        done = self.post(
            "/login/",
            "login",
            {"csrfmiddlewaretoken": token.group(1), "username": username, "password": SCENARIO["password"]},
        )
        return done.status_code == 302


class OfficerUser(CchcUser):
    """Department and commune-office reform officers and heads: dashboards and lists."""

    weight = 3
    role = "officer"

    def on_start(self):
        super().on_start()
        self.sign_in(random.choice(SCENARIO["officers"]))
        # The national plan when the officer may read it, else the first plan of their list.
        listed = PLAN_LINK.findall(self.get("/plans/", "plan list").text or "")
        self.plan = SCENARIO["plan"] if str(SCENARIO["plan"]) in listed else (listed[0] if listed else None)

    @task(3)
    def home(self):
        self.get("/", "home")

    @task(2)
    def plan_dashboard(self):
        if self.plan is None:
            return
        self.get(f"/plans/{self.plan}/dashboard/", "plan dashboard")

    @task(1)
    def plan_indicators(self):
        if self.plan is None:
            return
        self.get(
            f"/plans/{self.plan}/dashboard/?panel=indicators",
            "plan dashboard indicators",
            headers={"HX-Request": "true"},
        )

    @task(1)
    def plan_list(self):
        self.get("/plans/", "plan list")

    @task(2)
    def reports(self):
        self.get("/reports/", "reports")

    @task(1)
    def completeness(self):
        self.get("/reports/completeness/", "report completeness")

    @task(2)
    def dossier_list(self):
        self.get("/dossiers/", "dossier list")

    @task(1)
    def dossier_statistics(self):
        self.get("/dossiers/statistics/", "dossier statistics")


class SchoolUser(CchcUser):
    """A school principal on deadline day: open the month's report, save a draft, submit."""

    weight = 3
    role = "school"

    def on_start(self):
        super().on_start()
        self.months: list[str] = []
        self.report_url = None
        self._next_account()

    def _next_account(self):
        worker = getattr(self.environment.runner, "worker_index", 0) or 0
        index = next(_school_counter) * PROCESSES + worker
        accounts = SCENARIO["schools"]
        if index >= len(accounts):  # every account used: wrap (their months are all submitted)
            index %= len(accounts)
        if self.months is not None and hasattr(self, "account"):
            self.client.cookiejar.clear()
        self.account = accounts[index]
        self.months = list(SCENARIO["months"])
        random.shuffle(self.months)
        self.sign_in(self.account)

    def _form(self):
        page = self.get(self.report_url, "report form")
        return Form(page.text or "", "expected_version")

    @task
    def report_cycle(self):
        if not self.months:
            self._next_account()
        self.get("/reports/", "reports")
        period = self.months.pop()
        home = self.client.cookiejar
        token = next((c.value for c in home if c.name == "csrftoken"), "")
        opened = self.post(
            "/reports/open/",
            "open report",
            {"csrfmiddlewaretoken": token, "schedule": SCENARIO["schedule"], "period": period},
        )
        if opened.status_code != 302:
            return
        self.report_url = opened.headers.get("Location")
        for action in ("save", "submit"):
            form = self._form()
            data = form.data()
            for f in form.fields:
                if f["tag"] == "textarea":
                    data[f["name"]] = [
                        f"Kỳ {period}: nội dung {f['name']} của nhà trường, cập nhật lúc {action}."
                    ]
            data["action"] = [action]
            self.post(self.report_url, "save draft" if action == "save" else "submit report", data)
            self.wait()


class DeskUser(CchcUser):
    """A one-stop desk officer of a department: receive a dossier, glance at the queue."""

    weight = 2
    role = "desk"

    def on_start(self):
        super().on_start()
        self.sign_in(random.choice(SCENARIO["desk"]))

    @task(3)
    def receive(self):
        form = Form(self.get("/dossiers/receive/", "receive form").text or "", "applicant_name")
        data = form.data()
        procedures = [value for value in form.choices("procedure") if value]
        if not procedures:
            return
        data["procedure"] = [random.choice(procedures)]
        data["applicant_name"] = [random.choice(["Nguyễn Văn An", "Trần Thị Bình", "Lê Minh Châu"])]
        data["applicant_phone"] = ["0912345678"]
        data["subject"] = ["Đề nghị cấp bản sao văn bằng"]
        data.pop("action", None)
        done = self.post("/dossiers/receive/", "receive", data)
        if done.status_code == 302:
            self.get(done.headers["Location"], "dossier detail")

    @task(1)
    def queue(self):
        self.get("/dossiers/", "dossier list")


class CitizenUser(CchcUser):
    """A citizen, anonymous: the dossier status lookup and the satisfaction survey."""

    weight = 4
    role = "citizen"

    @task(3)
    def status(self):
        code = random.choice(SCENARIO["dossier_codes"])
        self.get(f"/public/status/?code={code}", "dossier status", headers={"X-Forwarded-For": _address()})

    @task(1)
    def survey(self):
        token = random.choice(SCENARIO["survey_tokens"])
        url = f"/public/survey/{token}/"
        form = Form(self.get(url, "survey form").text or "", "form_ts")
        data = form.data()
        groups: dict[str, list[str]] = {}
        for f in form.fields:
            if f["tag"] == "input" and f["type"] in ("radio", "checkbox") and f["name"].startswith("q_"):
                groups.setdefault(f["name"], []).append(f["value"])
        for name, values in groups.items():
            data[name] = [values[-1] if random.random() < 0.6 else random.choice(values)]
        address = _address()
        done = self.post(url, "survey answer", data, headers={"X-Forwarded-For": address})
        if done.status_code == 302:
            self.get(done.headers["Location"], "survey thanks", headers={"X-Forwarded-For": address})


class SignInUser(CchcUser):
    """One user signing in and out all along (the others are already signed in): the
    sign-in page and its password check, PBKDF2 with a million iterations, cost ~0.3 s of
    CPU by design."""

    fixed_count = 1
    wait_time = between(3, 6)
    role = "sign-in"

    @task
    def sign_in_and_out(self):
        if self.log_in(random.choice(SCENARIO["officers"])):
            token = next((c.value for c in self.client.cookiejar if c.name == "csrftoken"), "")
            self.post("/logout/", "logout", {"csrfmiddlewaretoken": token})
        self.client.cookiejar.clear()


class BareUser(FastHttpUser):
    """The floor: Django's bare liveness view, no database, no session (run alone, by name)."""

    wait_time = constant(0)

    @task
    def healthz(self):
        self.client.get("/healthz/", name="bare: /healthz/")


class FloorUser(CchcUser):
    """The floor of a signed-in page (run alone, by name): an officer asks for an address
    that does not exist and gets the 404 page — session, user, roles and acting unit, the
    layout and its menu, and nothing else: what every page of the mix costs before its
    own work."""

    wait_time = constant(0)
    role = "floor"

    def on_start(self):
        super().on_start()
        self.sign_in(random.choice(SCENARIO["officers"]))

    @task
    def not_found(self):
        self.get("/no-such-page/", "signed-in 404", expect=404)
