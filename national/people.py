"""The people of the data set: a few LA officers per authority, priority partners (about one for
every ten schools ever on the priority list, each working in one or two authorities), the
headteachers of the supported schools and of some others, the advisory board, a commissioner and
an administrator.

Every generated person has an address at ``national.example``; replacing the data set deletes
exactly those people. Nobody can sign in unless a password is given: then everyone has it (hashed
once, the same hash for all, so that thousands of people take no longer than one).
"""

from __future__ import annotations

import hashlib
import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX, make_password
from django.db.models import Q

from accounts.audit import acting
from accounts.audit.bulk import history_model
from accounts.authorities import current_authority_id
from accounts.models import Membership, Role, SchoolAssignment, User
from national.draws import day_between
from national.register import PlannedSchool, Register, person
from national.writing import Writer
from support.models import PartnerOrganisation, PartnerProfile

DOMAIN = "national.example"
SCHOOLS_PER_PARTNER = 10
OFFICERS_PER_AUTHORITY = (1, 4)
BOARD_MEMBERS = 8
OTHER_HEADS_SHARE = 0.05  # of the schools never supported, whose headteacher has an account too
SPECIALISMS = [
    "primary maths", "primary English", "early years", "SEND", "secondary leadership", "curriculum",
    "behaviour and attendance", "governance", "safeguarding", "school finance", "post-16",
]  # fmt: skip


@dataclass
class People:
    officers: dict[int, list[int]] = field(default_factory=dict)  # LocalAuthority pk → user ids
    partners: list[int] = field(default_factory=list)
    partner_of: dict[int, int] = field(default_factory=dict)  # school pk → its priority partner
    heads: dict[int, int] = field(default_factory=dict)  # school pk → its headteacher
    board: list[int] = field(default_factory=list)
    commissioner: int = 0
    admin: int = 0
    assignments: list[dict[str, Any]] = field(default_factory=list)  # SchoolAssignment rows, without ids

    def officer_for(self, rng: random.Random, la_pk: int) -> int:
        return rng.choice(self.officers[la_pk])

    @property
    def clerk(self) -> int:
        """The officer who keeps the board's records (the first officer of the first authority)."""
        return self.officers[min(self.officers)][0]


def email(*parts: object) -> str:
    return f"{'.'.join(str(p) for p in parts)}@{DOMAIN}"


def delete_generated() -> int:
    """Delete the people a previous run made, what of theirs cascades with them, and their audit
    trail: generated people leave no trace (their ids are not used again)."""
    generated = Q(email__endswith=f"@{DOMAIN}")
    with acting(reason="National data set replaced"):
        deleted, _ = User.objects.filter(generated).delete()
    history_model(User).objects.filter(generated).delete()
    return deleted


def password_hash(password: str | None, seed: int) -> str:
    """The one hash every generated person gets: of ``password``, or an unusable one that is the
    same on every run with this seed."""
    if password:
        # One salt from the seed, so that the same seed and password give the same rows.
        return make_password(password, salt=hashlib.sha256(f"national-salt:{seed}".encode()).hexdigest()[:24])
    return UNUSABLE_PASSWORD_PREFIX + hashlib.sha256(f"national:{seed}".encode()).hexdigest()[:40]


def create(
    rng: random.Random,
    writer: Writer,
    register: Register,
    *,
    supported: list[PlannedSchool],
    as_of: date,
    window_start: date,
    stamp: datetime,
    password: str,
) -> People:
    """Write the people, the partners' profiles and the headteachers' links to their schools."""
    users: list[User] = []
    officer_emails: dict[int, list[str]] = {}
    authority = current_authority_id()  # everyone works in the authority the data set is made in

    def add(address: str, full_name: str, role: str, organisation: str = "", **extra: Any) -> None:
        joined = datetime.combine(day_between(rng, window_start, as_of), stamp.timetz())
        users.append(
            User(
                email=address,
                full_name=full_name,
                role=role,
                organisation=organisation,
                password=password,
                date_joined=joined,
                authority_id=authority,
                **extra,
            )
        )

    def named() -> str:
        _, first, last = person(rng)
        return f"{first} {last}"

    in_authority = Counter(s.la_pk for s in register.schools)
    for la_pk in sorted(in_authority):
        code = register.la_codes[la_pk]
        # A few officers each: more in the larger authorities (about one for every 50 schools).
        count = min(OFFICERS_PER_AUTHORITY[1], max(OFFICERS_PER_AUTHORITY[0], round(in_authority[la_pk] / 50)))
        officer_emails[la_pk] = [email("officer", code, n) for n in range(1, count + rng.randint(0, 1) + 1)]
        for address in officer_emails[la_pk]:
            add(address, named(), Role.LA_OFFICER, register.la_names[la_pk])

    # Partners work near their schools: the supported schools, by authority, ten to a partner.
    ordered = sorted(supported, key=lambda s: (s.la_pk, s.pk))
    partner_count = max(2, round(len(ordered) / SCHOOLS_PER_PARTNER))
    partner_emails = [email("partner", n) for n in range(1, partner_count + 1)]
    first_school = {}
    for n, school in enumerate(ordered):
        first_school.setdefault(partner_emails[n * partner_count // max(1, len(ordered))], school)
    organisations: dict[str, dict[str, Any]] = {}
    partner_organisation: dict[str, str] = {}
    for address in partner_emails:
        school = first_school.get(address)
        if school is not None and rng.random() < 0.7:
            name = f"{register.la_names[school.la_pk]} School Improvement Service"
            organisations.setdefault(name, {"kind": "Local authority school improvement service"})
        else:
            name = ""
        partner_organisation[address] = name
        add(address, named(), Role.PRIORITY_PARTNER, name or "Independent school improvement partner")

    heads = [s for s in supported if s.open_on(as_of)]
    held = {s.pk for s in heads}
    for school in register.schools:
        if school.pk not in held and school.open_on(as_of) and rng.random() < OTHER_HEADS_SHARE:
            heads.append(school)
    heads.sort(key=lambda s: s.pk)
    for school in heads:
        add(email("head", school.urn), school.head_name, Role.HEADTEACHER, school.name)
    board_emails = [email("board", n) for n in range(1, BOARD_MEMBERS + 1)]
    for address in board_emails:
        add(address, named(), Role.BOARD_MEMBER, "Advisory board")
    add(email("commissioner"), named(), Role.COMMISSIONER, "Commissioner")
    add(email("admin"), named(), Role.ADMIN, "Portal administration", is_staff=True, is_superuser=True)

    User.objects.bulk_create(users, batch_size=1000)
    writer.counts["accounts.User"] += len(users)
    ids = dict(User.objects.filter(email__endswith=f"@{DOMAIN}").values_list("email", "pk"))
    Membership.objects.bulk_create(
        [Membership(user_id=ids[user.email], authority_id=authority, role=user.role) for user in users], batch_size=1000
    )

    people = People(
        officers={la_pk: [ids[a] for a in addresses] for la_pk, addresses in officer_emails.items()},
        partners=[ids[a] for a in partner_emails],
        board=[ids[a] for a in board_emails],
        commissioner=ids[email("commissioner")],
        admin=ids[email("admin")],
    )
    for n, school in enumerate(ordered):
        people.partner_of[school.pk] = people.partners[n * partner_count // len(ordered)]

    organisation_ids = {name: i for i, name in enumerate(sorted(organisations), start=1)}
    writer.rows(
        PartnerOrganisation,
        ({"id": pk, "name": name, **organisations[name]} for name, pk in organisation_ids.items()),
    )
    writer.rows(
        PartnerProfile,
        (
            {
                "id": n,
                "user_id": ids[address],
                "organisation_id": organisation_ids.get(partner_organisation[address]),
                "specialisms": ", ".join(rng.sample(SPECIALISMS, rng.randint(1, 3))),
                "capacity_days": Decimal(rng.randrange(40, 125, 5)),
                "dbs_checked_on": as_of - timedelta(days=rng.randrange(3 * 365)),
                "contract_starts": window_start,
                "contract_ends": date(as_of.year + 1 if as_of.month >= 9 else as_of.year, 8, 31),
            }
            for n, address in enumerate(partner_emails, start=1)
        ),
    )
    assignments = []
    for school in heads:
        people.heads[school.pk] = ids[email("head", school.urn)]
        starts = max(school.opened, as_of - timedelta(days=rng.randint(30, 12 * 365)))
        assignments.append(
            {
                "user_id": people.heads[school.pk],
                "school_id": school.pk,
                "relationship": SchoolAssignment.Relationship.HEADTEACHER,
                "starts_on": starts,
                "assigned_by_id": rng.choice(people.officers[school.la_pk]),
            }
        )
    people.assignments = assignments
    return people
