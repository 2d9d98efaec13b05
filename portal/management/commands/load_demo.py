"""Load the demo: real public data through the real importers, plus generated people and notes.

Safe to run again: every import upserts by natural key (a second run reports its records
unchanged), people are reset to the demo sign-ins, and notes are only added once.
"""

import random
from datetime import date, timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings
from django.utils import timezone

from accounts import demo as people
from accounts.authorities import across_authorities, working_in
from accounts.models import User
from boards import deadline_alerts
from boards import demo as board
from categorisation import selectors as categorisation_selectors
from categorisation import services as categorisation
from categorisation.models import CategoryDecision, Framework, SchoolCategory, StandardsGroup
from core.calendar import academic_year_of
from reporting import figures
from reporting import services as reporting
from reporting.models import MonthlyReport
from schools import demo, imports, services
from schools.access import remit
from schools.models import ImportRun, IntelligenceNote, School
from support import demo as support

NOTES = [
    (
        "new_headteacher",
        "An acting headteacher has been in post since the start of term; substantive appointment pending.",
        "high",
    ),
    ("staffing", "Two long-term vacancies in year 6 and maths; covered by agency staff.", "medium"),
    ("governance", "The chair of governors has resigned; the vice-chair is acting chair.", "medium"),
    ("finance", "Projected deficit at year end reported in the budget monitoring return.", "high"),
    ("complaints", "Three parental complaints about SEND provision this half-term, one escalated to the LA.", "medium"),
    ("safeguarding", "Safeguarding audit returned late; follow-up visit arranged with the designated lead.", "high"),
    ("hr", "HR casework involving a senior leader; advice given by the schools HR team.", "medium"),
    ("leadership", "Leadership capacity strengthened with a new deputy headteacher from September.", "low"),
    ("other", "School expanding by one form of entry from next September; building work under way.", "low"),
]
CAPACITY_EVIDENCE = {
    "A": "Accurate self-evaluation; leaders sustain improvement and support other schools.",
    "B": "Self-evaluation mostly accurate; leaders know the areas to improve and plan well.",
    "C": "Self-evaluation not yet accurate; improvement planning lacks measurable targets.",
    "D": "Leaders do not know the school's weaknesses; planning has not improved outcomes.",
}

OVERRIDES = [
    (1, "The headteacher left at Easter and the interim arrangements are fragile; more support this year."),
    (-1, "The new leadership team has turned attendance round; the evidence is a year old."),
    (1, "Governors report a serious breakdown in leadership; the finance team confirms a deficit."),
]
SOURCES = [
    "Finance team",
    "Governor services",
    "Priority partner visit",
    "Schools HR",
    "Headteacher",
    "Complaints team",
]


class Command(BaseCommand):
    help = "Load the demo data (real DfE and Ofsted data, generated people and notes) and print the sign-ins."

    def add_arguments(self, parser):
        parser.add_argument("--quiet-imports", action="store_true", help="Print one line per file.")

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("The demo is for local use: it will not load when DEBUG is false.")
        # The demo's events notify its people as the portal would; their email is kept in memory
        # while it loads, not printed (what people do in the demo afterwards is emailed as configured).
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            self._load(*args, **options)

    def _load(self, *args, **options):
        files = demo.build(settings.VAR_DIR / "demo")
        self.stdout.write(
            f"Demo register: {files.schools} schools ({files.birmingham_joined} Birmingham, "
            f"{files.warwickshire_joined} Warwickshire area, the rest from the GIAS samples)"
        )
        plan = [
            ("local_authorities", demo.LA_CODES, None),
            ("gias_groups", demo.GIAS_GROUPS, None),
            ("gias_establishments", files.register, None),
            ("gias_links", demo.GIAS_LINKS, None),
            ("gias_group_links", demo.GIAS_GROUP_LINKS, None),
            *[(kind, path, year) for kind, path, year in demo.PERFORMANCE_FILES],
            ("ofsted_latest", files.ofsted_graded, None),
            ("ofsted_latest", files.ofsted_report_cards, None),
            ("estyn_inspections", files.estyn, None),
        ]
        for kind, path, year in plan:
            raw = path.read_bytes()
            run = services.start_command_import(
                kind=kind, file_name=path.name, raw=raw, dry_run=False, academic_year=year, source="demo"
            )
            imports.run_import(run=run, raw=raw)
            if run.status != ImportRun.Status.SUCCEEDED:
                raise CommandError(f"{path.name}: {run.message} {run.errors[:5]}")
            self.stdout.write(f"  {path.name}: {run.message}")
        self.authorities = people.create_authorities()
        self._people()
        birmingham = self.authorities[people.BIRMINGHAM.key]
        with working_in(birmingham):
            self._notes()
            self._categories(User.objects.get(email=people.OFFICER.email))
            self._support()
            self._board()
            self._report(birmingham)
            # The morning's deadline notifications, as the schedule would have sent them.
            deadline_alerts.notify_deadlines(timezone.localdate())
        for spec, officer in (
            (people.WARWICKSHIRE, people.WARWICKSHIRE_OFFICER),
            (people.CENTRAL_SOUTH, people.WELSH_OFFICER),
        ):
            with working_in(self.authorities[spec.key]):
                self._framework(spec)
                if spec is people.CENTRAL_SOUTH:
                    self._welsh_steps(User.objects.get(email=officer.email))
                if spec is people.WARWICKSHIRE:
                    board.load_school_improvement_board(officer=User.objects.get(email=officer.email))
                self._categories(User.objects.get(email=officer.email))
                self._report(self.authorities[spec.key])
        self._print_sign_ins()

    def _framework(self, spec):
        """Each authority works with its own framework (a new one starts on tiered support or, in
        Wales, the national model): Warwickshire switches to its categories."""
        framework = Framework.objects.get(code=spec.framework)
        if not framework.is_active:
            admin = User.objects.get(email=people.ADMIN.email)
            categorisation.set_active_framework(framework=framework, by=admin)

    def _welsh_steps(self, officer: User):
        """The Welsh national model's first two steps for most of the consortium's schools: a
        standards group and an agreed capacity to improve; a few wait for a judgement or its
        agreement, and a few have no standards group yet (not yet categorised)."""
        if StandardsGroup.objects.exists():
            return
        rng = random.Random(demo.SEED + 2)  # noqa: S311 - reproducible demo data, not security
        year = academic_year_of(timezone.localdate())
        for school in remit().filter(status_name__istartswith="open").order_by("urn"):
            if rng.random() < 0.15:
                continue
            group = rng.choices([1, 2, 3, 4], weights=[3, 4, 2, 1])[0]
            categorisation.record_standards_group(school=school, year=year, group=group, by=officer)
            if rng.random() < 0.1:
                continue
            capacity = rng.choices("ABCD", weights=[3, 4, 2, 1])[0]
            judgement = categorisation.record_capacity_judgement(
                school=school, year=year, capacity=capacity, evidence=CAPACITY_EVIDENCE[capacity], by=officer
            )
            if rng.random() < 0.85:
                categorisation.agree_capacity_judgement(judgement=judgement, by=officer)

    def _people(self):
        birmingham = list(remit(self.authorities[people.BIRMINGHAM.key]).order_by("urn"))
        warwickshire = list(remit(self.authorities[people.WARWICKSHIRE.key]).order_by("urn"))
        concern = [
            s
            for s in birmingham
            if s.ofsted_outcome in ("requires_improvement", "inadequate", "rc_urgent_improvement", "rc_needs_attention")
            and s.phase_name in ("Primary", "Secondary")
        ]
        others = [s for s in birmingham if s not in concern]
        partner_a = (concern[:4] + others[:2]) if concern else birmingham[:6]
        head_school = partner_a[0]
        executive = [s for s in others if s.phase_name == "Primary" and s.ofsted_outcome][:2]
        inspected = [s.pk for s in warwickshire if s.ofsted_outcome and s.phase_name != "Nursery"]
        self.assignments = {
            (people.PARTNER_A.email, people.BIRMINGHAM.key): [s.pk for s in partner_a],
            (people.PARTNER_A.email, people.WARWICKSHIRE.key): inspected[5:7],
            (people.PARTNER_B.email, people.WARWICKSHIRE.key): inspected[:5],
            (people.HEAD.email, people.BIRMINGHAM.key): [head_school.pk],
            (people.EXECUTIVE_HEAD.email, people.BIRMINGHAM.key): [s.pk for s in executive],
        }
        people.create_people(self.authorities, self.assignments)
        self.colleagues = people.create_colleagues(self.authorities)
        self.head_school = head_school

    def _notes(self):
        if IntelligenceNote.objects.exists():
            return
        rng = random.Random(demo.SEED)  # noqa: S311 - reproducible demo data, not security
        officer = User.objects.get(email=people.OFFICER.email)
        partner = User.objects.get(email=people.PARTNER_A.email)
        assigned = School.objects.filter(pk__in=self.assignments[people.PARTNER_A.email, people.BIRMINGHAM.key])
        schools = list(remit().order_by("urn"))
        chosen = list(assigned) + rng.sample(schools, min(60, len(schools)))
        for index, school in enumerate(chosen):
            area, text, risk = NOTES[index % len(NOTES)]
            visibility = [
                IntelligenceNote.Visibility.RESTRICTED,
                IntelligenceNote.Visibility.PARTNER,
                IntelligenceNote.Visibility.SCHOOL,
            ][index % 3]
            author = partner if school in assigned and visibility != IntelligenceNote.Visibility.RESTRICTED else officer
            services.add_intelligence_note(
                school=school,
                by=author,
                area=area,
                noted_on=date(2026, 11, 20) - timedelta(days=rng.randint(0, 300)),
                source=rng.choice(SOURCES),
                risk_grade=risk,
                visibility=visibility,
                text=text,
            )

    def _categories(self, officer: User):
        """Agree most proposals as the authority's officer would have, override a few with a
        rationale, and leave some waiting so the queue has work in it."""
        categorisation.recategorise(trigger="manual")
        if CategoryDecision.objects.exists():
            return
        rng = random.Random(demo.SEED + 1)  # noqa: S311 - reproducible demo data, not security
        pending = list(
            SchoolCategory.objects.filter(pending=True).order_by("school__urn").values_list("school_id", flat=True)
        )
        waiting = set(rng.sample(pending, min(25, len(pending) // 4)))
        categorisation.agree_proposals(school_ids=[pk for pk in pending if pk not in waiting], by=officer)
        # Three officer's overrides, each one category from the proposal (more support, less, more).
        ranked = list(categorisation_selectors.active_version().categories.order_by("rank"))
        chosen = SchoolCategory.objects.filter(school_id__in=[pk for pk in pending if pk not in waiting])
        for standing, (step, rationale) in zip(chosen.order_by("school__urn")[:3], OVERRIDES, strict=False):
            rank = standing.category.rank + step if standing.category else -1
            if 0 <= rank < len(ranked):
                categorisation.agree_category(
                    school=standing.school, by=officer, category_code=ranked[rank].code, rationale=rationale
                )

    def _support(self):
        support.load(
            officer=User.objects.get(email=people.OFFICER.email),
            partners=[User.objects.get(email=people.PARTNER_A.email)],  # Birmingham's partner
            head_school=self.head_school,
            executive_head=User.objects.get(email=people.EXECUTIVE_HEAD.email),
        )

    def _board(self):
        board.load(
            officer=User.objects.get(email=people.OFFICER.email),
            board_member=User.objects.get(email=people.BOARD_MEMBER.email),
            partner=User.objects.get(email=people.PARTNER_A.email),
            head_school=self.head_school,
            partners=[self.colleagues[p.email] for p in people.PARTNERS],
            members=[self.colleagues[p.email] for p in people.BOARD_MEMBERS],
        )

    def _report(self, authority):
        """Last month's commissioner report, as the schedule would have built it."""
        period = figures.previous_month(timezone.localdate())
        report, _ = reporting.generate(period, trigger=MonthlyReport.Trigger.SCHEDULED)
        self.stdout.write(f"{authority}: monthly report for {figures.month_label(period)}, version {report.version}")

    def _print_sign_ins(self):
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Demo sign-ins (all with the password {people.DEMO_PASSWORD!r}):"))
        names = {spec.key: spec.name for spec in people.AUTHORITIES}
        for person in people.PEOPLE:
            user = User.objects.get(email=person.email)
            with across_authorities():
                schools = ", ".join(a.school.name for a in user.school_assignments.select_related("school"))
            suffix = f" – {schools}" if schools else ""
            where = ", ".join(names[key] for key in person.authorities)
            self.stdout.write(f"  {user.get_role_display():<24} {person.email} ({where}){suffix}")
        if settings.TWO_FACTOR_ENFORCED:
            self.stdout.write(
                "Officers, administrators and board members set up an authenticator app at their first sign-in."
            )
        else:
            self.stdout.write(
                "Two-factor authentication is not required in the demo (TWO_FACTOR_ENFORCED=false); "
                "anyone may turn it on under Your account."
            )
