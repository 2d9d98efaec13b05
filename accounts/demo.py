"""Demo people: one of each role, with partners and heads linked to real demo schools.

The people are invented; their schools are real schools from the demo register.
"""

from dataclasses import dataclass

from axes.models import AccessAttempt
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Role, SchoolAssignment, User, normalise_email

DEMO_PASSWORD = "school-improvement-demo"  # noqa: S105 - the demo's published sign-in, never used in production


@dataclass(frozen=True)
class DemoPerson:
    email: str
    full_name: str
    role: str
    organisation: str


OFFICER = DemoPerson("priya.shah@council.example", "Priya Shah", Role.LA_OFFICER, "School improvement team")
ADMIN = DemoPerson("admin@council.example", "Alex Morgan", Role.ADMIN, "Digital services")
PARTNER_A = DemoPerson(
    "daniel.okafor@partners.example", "Daniel Okafor", Role.PRIORITY_PARTNER, "Midlands Improvement Partners"
)
PARTNER_B = DemoPerson(
    "helen.marsh@partners.example", "Helen Marsh", Role.PRIORITY_PARTNER, "Midlands Improvement Partners"
)
HEAD = DemoPerson("sarah.collins@school.example", "Sarah Collins", Role.HEADTEACHER, "")
EXECUTIVE_HEAD = DemoPerson("mark.bennett@school.example", "Mark Bennett", Role.HEADTEACHER, "")
BOARD_MEMBER = DemoPerson(
    "ruth.adeyemi@council.example", "Ruth Adeyemi", Role.BOARD_MEMBER, "School improvement advisory board"
)
COMMISSIONER = DemoPerson(
    "commissioner@council.example", "Tom Ellis", Role.COMMISSIONER, "Children's services commissioning"
)

PEOPLE = [OFFICER, ADMIN, PARTNER_A, PARTNER_B, HEAD, EXECUTIVE_HEAD, BOARD_MEMBER, COMMISSIONER]


@transaction.atomic
def create_people(assignments: dict[str, list[int]]) -> list[User]:
    """Create (or reset) the demo people and link partners and heads to schools by id."""
    users = []
    for person in PEOPLE:
        user, _ = User.objects.update_or_create(
            email=normalise_email(person.email),
            defaults={
                "full_name": person.full_name,
                "role": person.role,
                "organisation": person.organisation,
                "is_active": True,
                "is_staff": person.role == Role.ADMIN,
                "is_superuser": person.role == Role.ADMIN,
            },
        )
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
        _reset_sign_in(user)
        users.append(user)
        relationship = {
            Role.PRIORITY_PARTNER: SchoolAssignment.Relationship.PRIORITY_PARTNER,
            Role.HEADTEACHER: SchoolAssignment.Relationship.HEADTEACHER,
        }.get(person.role)
        wanted = assignments.get(person.email, [])
        user.school_assignments.exclude(school_id__in=wanted).delete()
        for school_id in wanted:
            SchoolAssignment.objects.get_or_create(user=user, school_id=school_id, relationship=relationship)
    return users


def _reset_sign_in(user: User) -> None:
    """A reloaded demo signs in as on the first day: no authenticator app, no lockout."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    AccessAttempt.objects.filter(username=user.email).delete()
