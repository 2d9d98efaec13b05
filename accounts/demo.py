"""Demo authorities and people: three authorities on the real register (Birmingham on tiered
support, Warwickshire on its categories, a Welsh partnership on the national model), one person of
each role in Birmingham, an officer in each of the others, a partner working for two and an
administrator in all three. The people are invented; their schools are real demo schools.
"""

from dataclasses import dataclass
from functools import cache

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.authorities import working_in
from accounts.models import Authority, Membership, Role, SchoolAssignment, User, normalise_email

DEMO_PASSWORD = "school-improvement-demo"  # noqa: S105 - the demo's published sign-in, never used in production


@dataclass(frozen=True)
class DemoAuthority:
    key: str
    name: str
    nation: str
    la_codes: tuple[int, ...]
    academies: bool
    framework: str  # the code of the framework it works with


BIRMINGHAM = DemoAuthority("birmingham", "Birmingham City Council", Authority.Nation.ENGLAND, (330,), True, "tiered")
WARWICKSHIRE = DemoAuthority(
    "warwickshire", "Warwickshire County Council", Authority.Nation.ENGLAND, (937,), False, "warwickshire"
)
# A Welsh regional partnership: Bridgend, Vale of Glamorgan, Rhondda Cynon Taf, Merthyr Tydfil, Cardiff.
CENTRAL_SOUTH = DemoAuthority(
    "central-south", "Central South Consortium", Authority.Nation.WALES, (672, 673, 674, 675, 681), False, "wales"
)
AUTHORITIES = [BIRMINGHAM, WARWICKSHIRE, CENTRAL_SOUTH]


@dataclass(frozen=True)
class DemoPerson:
    email: str
    full_name: str
    role: str
    organisation: str
    authorities: tuple[str, ...] = (BIRMINGHAM.key,)  # the first is where they start


OFFICER = DemoPerson("priya.shah@council.example", "Priya Shah", Role.LA_OFFICER, "School improvement team")
ADMIN = DemoPerson(
    "admin@council.example",
    "Alex Morgan",
    Role.ADMIN,
    "Digital services",
    (BIRMINGHAM.key, WARWICKSHIRE.key, CENTRAL_SOUTH.key),
)
PARTNER_A = DemoPerson(
    "daniel.okafor@partners.example",
    "Daniel Okafor",
    Role.PRIORITY_PARTNER,
    "Midlands Improvement Partners",
    (BIRMINGHAM.key, WARWICKSHIRE.key),
)
PARTNER_B = DemoPerson(
    "helen.marsh@partners.example",
    "Helen Marsh",
    Role.PRIORITY_PARTNER,
    "Midlands Improvement Partners",
    (WARWICKSHIRE.key,),
)
HEAD = DemoPerson("sarah.collins@school.example", "Sarah Collins", Role.HEADTEACHER, "")
EXECUTIVE_HEAD = DemoPerson("mark.bennett@school.example", "Mark Bennett", Role.HEADTEACHER, "")
BOARD_MEMBER = DemoPerson(
    "ruth.adeyemi@council.example", "Ruth Adeyemi", Role.BOARD_MEMBER, "School improvement advisory board"
)
COMMISSIONER = DemoPerson(
    "commissioner@council.example", "Tom Ellis", Role.COMMISSIONER, "Children's services commissioning"
)
WARWICKSHIRE_OFFICER = DemoPerson(
    "nicola.hart@warwickshire.example",
    "Nicola Hart",
    Role.LA_OFFICER,
    "Education improvement service",
    (WARWICKSHIRE.key,),
)
WELSH_OFFICER = DemoPerson(
    "rhian.pritchard@consortium.example",
    "Rhian Pritchard",
    Role.LA_OFFICER,
    "School improvement service",
    (CENTRAL_SOUTH.key,),
)


# Birmingham's other priority partners, so every school on its priority list has a named partner,
# and the advisory board's other members (seed 004: an external, independent chair, Ruth Adeyemi,
# and recently serving headteachers of each phase). They sign in with the demo password like
# everyone else but are not listed among the sign-ins: the people above show each role.
def _colleague(name: str, role: str, organisation: str) -> DemoPerson:
    domain = "partners.example" if role == Role.PRIORITY_PARTNER else "council.example"
    return DemoPerson(f"{name.lower().replace(' ', '.')}@{domain}", name, role, organisation)


BEP = "Birmingham Education Partnership"
PARTNERS = [
    _colleague("Joseph Mensah", Role.PRIORITY_PARTNER, BEP),
    _colleague("Fiona Gallagher", Role.PRIORITY_PARTNER, BEP),
    _colleague("Harjit Sandhu", Role.PRIORITY_PARTNER, BEP),
    _colleague("Claire Donnelly", Role.PRIORITY_PARTNER, BEP),
    _colleague("Kevin Ashworth", Role.PRIORITY_PARTNER, "Midlands Improvement Partners"),
    _colleague("Nadia Rahman", Role.PRIORITY_PARTNER, BEP),
    _colleague("Stephen Brookes", Role.PRIORITY_PARTNER, "Midlands Improvement Partners"),
    _colleague("Yvonne Campbell", Role.PRIORITY_PARTNER, BEP),
]
BOARD_MEMBERS = [
    _colleague("Margaret Osei", Role.BOARD_MEMBER, "School improvement advisory board"),
    _colleague("Andrew Pennington", Role.BOARD_MEMBER, "School improvement advisory board"),
    _colleague("Lorraine Firth", Role.BOARD_MEMBER, "School improvement advisory board"),
]

PEOPLE = [
    OFFICER,
    ADMIN,
    PARTNER_A,
    PARTNER_B,
    HEAD,
    EXECUTIVE_HEAD,
    BOARD_MEMBER,
    COMMISSIONER,
    WARWICKSHIRE_OFFICER,
    WELSH_OFFICER,
]


@transaction.atomic
def create_authorities() -> dict[str, Authority]:
    """The demo's three authorities (a new one gets its own copy of the built-in frameworks);
    Birmingham takes over the default authority the migration made, with what it holds."""
    found = {}
    for spec in AUTHORITIES:
        authority = Authority.objects.filter(name=spec.name).first()
        if authority is None and spec is BIRMINGHAM:
            authority = Authority.objects.filter(name="Default authority").first()
        authority = authority or Authority(name=spec.name)
        authority.name, authority.nation, authority.academies = spec.name, spec.nation, spec.academies
        authority.la_codes = list(spec.la_codes)
        authority.save()
        found[spec.key] = authority
    return found


@transaction.atomic
def create_people(authorities: dict[str, Authority], assignments: dict[tuple[str, str], list[int]]) -> list[User]:
    """Create (or reset) the demo people with their role in each of their authorities, and link
    partners and heads to schools by id in each: ``assignments[email, authority key]``."""
    users = []
    for person in PEOPLE:
        user = _person(person, authorities)
        users.append(user)
        relationship = {
            Role.PRIORITY_PARTNER: SchoolAssignment.Relationship.PRIORITY_PARTNER,
            Role.HEADTEACHER: SchoolAssignment.Relationship.HEADTEACHER,
        }.get(person.role)
        for key in person.authorities:
            authority = authorities[key]
            wanted = assignments.get((person.email, key), [])
            with working_in(authority):
                user.school_assignments.exclude(school_id__in=wanted).delete()
                for school_id in wanted:
                    SchoolAssignment.objects.get_or_create(user=user, school_id=school_id, relationship=relationship)
    return users


@transaction.atomic
def create_colleagues(authorities: dict[str, Authority]) -> dict[str, User]:
    """Create (or reset) Birmingham's other partners and board members, by email. Their schools
    are left as they are: the demo names them through the portal's services, once."""
    return {person.email: _person(person, authorities) for person in PARTNERS + BOARD_MEMBERS}


@cache
def _password(hasher: str) -> str:
    """The demo password, hashed once (by each hasher) for every demo person: hashing is slow by
    design (a third of a second a person), and they all share the one published password."""
    return make_password(DEMO_PASSWORD)


def _person(person: DemoPerson, authorities: dict[str, Authority]) -> User:
    """The person as the demo has them, with their role in each of their authorities and a fresh sign-in."""
    user, _ = User.objects.update_or_create(
        email=normalise_email(person.email),
        defaults={
            "full_name": person.full_name,
            "role": person.role,
            "organisation": person.organisation,
            "is_active": True,
            "is_staff": person.role == Role.ADMIN,
            "is_superuser": person.role == Role.ADMIN,
            "authority": authorities[person.authorities[0]],
            "password": _password(settings.PASSWORD_HASHERS[0]),
        },
    )
    _reset_sign_in(user)
    mine = [authorities[key] for key in person.authorities]
    user.memberships.exclude(authority__in=mine).delete()
    for authority in mine:
        Membership.objects.update_or_create(user=user, authority=authority, defaults={"role": person.role})
    return user


def _reset_sign_in(user: User) -> None:
    """A reloaded demo signs in as on the first day: no authenticator app, no lockout."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    AccessAttempt.objects.filter(username=user.email).delete()
