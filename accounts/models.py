"""People who use the portal, their roles, and the schools they are linked to."""

import unicodedata

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from knox.models import AbstractAuthToken, AuthTokenManager
from knox.settings import CONSTANTS

from accounts.audit import AuditedRecords
from accounts.authorities import authority_field, owned_by_authority


class Role(models.TextChoices):
    LA_OFFICER = "officer", "LA officer"
    PRIORITY_PARTNER = "partner", "Priority partner"
    BOARD_MEMBER = "board", "Advisory board member"
    HEADTEACHER = "head", "Headteacher"
    COMMISSIONER = "commissioner", "Commissioner"
    ADMIN = "admin", "Administrator"


def normalise_email(address: str) -> str:
    """An email address as accounts keep it and sign-in looks it up: trimmed, NFKC-normalised and
    case-folded, so every way of typing one address (``Olivia@…``, a long ``ſ`` for ``s``, a Kelvin
    sign for ``K``) is one string. Accounts are found by comparing this exactly, never with the
    database's own case-insensitive match: PostgreSQL's ``UPPER()`` also makes a dotless ``ı`` an
    ``i``, and so let look-alike addresses reach an account with fresh lockout counts (issue 17)."""
    folded = unicodedata.normalize("NFKC", address.strip()).casefold()
    return unicodedata.normalize("NFKC", folded)


class Authority(models.Model):
    """A council, or a partnership of councils, that runs school improvement for its remit: the
    schools of the LAs it serves (by DfE LA code) of the establishment groups it supports. The
    national register, inspections and performance data are shared; everything else (frameworks,
    cases, people's roles, the board, reports) belongs to one authority (``accounts.authorities``)."""

    class Nation(models.TextChoices):
        ENGLAND = "england", "England"
        WALES = "wales", "Wales"

    name = models.CharField(max_length=200, unique=True, help_text="As it appears on letters and reports.")
    nation = models.CharField(
        max_length=10,
        choices=Nation.choices,
        default=Nation.ENGLAND,
        help_text="Which schools an authority may support: maintained English schools, or Welsh establishments.",
    )
    la_codes = models.JSONField(
        "LA codes", default=list, blank=True, help_text="The DfE three-digit codes of the local authorities it serves."
    )
    academies = models.BooleanField(
        "supports academies and free schools",
        default=False,
        help_text="Its offer is status blind: academies and free schools in its LAs are in its remit too.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = AuditedRecords()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "authorities"

    def __str__(self):
        return self.name

    def clean(self):
        codes = self.la_codes if isinstance(self.la_codes, list) else None
        if codes is None or not all(isinstance(code, int) and 100 <= code <= 999 for code in codes):
            raise ValidationError({"la_codes": "Give the DfE three-digit LA codes, for example 330, 937"})
        self.la_codes = sorted(set(codes))


class UserManager(BaseUserManager):
    use_in_migrations = True

    @classmethod
    def normalize_email(cls, email):
        return normalise_email(email or "")

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("role", Role.LA_OFFICER)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.update(role=Role.ADMIN, is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, username):
        """The account an address typed at sign-in reaches (the backend, the lockout and
        ``createsuperuser`` all ask this)."""
        return self.get(email=normalise_email(username))


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in with their email address and has exactly one role."""

    email = models.EmailField("email address", unique=True)
    full_name = models.CharField(max_length=200)
    role = models.CharField(max_length=20, choices=Role.choices, db_index=True)
    organisation = models.CharField(max_length=200, blank=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(
        default=False, help_text="Can use the Django administration site (administrators only)."
    )
    date_joined = models.DateTimeField(default=timezone.now)
    authority = models.ForeignKey(
        Authority,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The authority the person is working in now; their role is their role there.",
    )
    notification_emails_off = models.JSONField(
        default=list,
        blank=True,
        help_text="The kinds of notification the person does not want by email (every kind comes by email otherwise).",
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]
    history = AuditedRecords(excluded_fields=["password", "last_login"])

    class Meta:
        ordering = ["full_name", "email"]

    def __str__(self):
        return self.full_name or self.email

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @classmethod
    def normalize_username(cls, username):
        """Used by ``clean()``, so the administration's forms check uniqueness of the stored form."""
        return normalise_email(username) if isinstance(username, str) else username

    def save(self, **kwargs):
        # However the account is saved (the manager, the administration, the demo loader, a
        # factory), the address is kept in the one form sign-in looks up.
        self.email = self.normalize_username(self.email)
        super().save(**kwargs)

    @property
    def sees_every_school(self) -> bool:
        """Sees every school of the authority's remit (not the whole register)."""
        return self.role in (Role.LA_OFFICER, Role.ADMIN)


class Membership(models.Model):
    """A person's role in an authority: a partner may work for two councils, a headteacher's
    school sits in one. A person in several switches between them (``User.authority``)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    authority = models.ForeignKey(Authority, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    history = AuditedRecords()

    class Meta:
        ordering = ["authority__name"]
        constraints = [models.UniqueConstraint(fields=["user", "authority"], name="one_membership_per_authority")]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()} — {self.authority}"


class SchoolAssignment(models.Model):
    """A person's link to a school: the priority partner assigned to it, or its headteacher.

    An executive headteacher has one assignment per school they lead. An assignment that has
    ended (``ends_on`` in the past) no longer gives access.
    """

    class Relationship(models.TextChoices):
        PRIORITY_PARTNER = "priority_partner", "Priority partner"
        HEADTEACHER = "headteacher", "Headteacher"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="school_assignments")
    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="assignments")
    relationship = models.CharField(max_length=20, choices=Relationship.choices)
    starts_on = models.DateField(default=timezone.localdate)
    ends_on = models.DateField(null=True, blank=True)
    conflict = models.TextField(blank=True, help_text="Conflicts of interest found when the partner was assigned.")
    justification = models.TextField(blank=True, help_text="Why the assignment stands despite the conflict.")
    assigned_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    authority = authority_field()
    objects = owned_by_authority()
    history = AuditedRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "user", "school", "relationship"],
                name="one_assignment_per_user_school_relationship",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="assignment_ends_after_it_starts",
            ),
            models.CheckConstraint(
                condition=Q(conflict="") | ~Q(justification=""), name="a_conflict_of_interest_is_justified"
            ),
        ]

    def __str__(self):
        return f"{self.user} — {self.get_relationship_display()} — {self.school_id}"


class Download(models.Model):
    """A file the portal gave someone (a letter, a report, an export of a list): who, when, from
    which page and which file. Written for every attachment the portal serves
    (``accounts.middleware.DownloadLogMiddleware``); never changed or deleted through the portal."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="downloads")
    downloaded_at = models.DateTimeField(default=timezone.now, db_index=True)
    path = models.CharField(max_length=2000, help_text="The address asked for, with its filters.")
    filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=255, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-downloaded_at", "-pk"]
        indexes = [models.Index(fields=["user", "downloaded_at"], name="download_user_date")]

    def __str__(self):
        return f"{self.filename} — {self.user} — {self.downloaded_at:%Y-%m-%d %H:%M}"


class ApiTokenManager(AuthTokenManager):
    """Reads a token with its owner and the authority they work in: an API request is scoped to
    it (``api.views``) with no query of its own."""

    def get_queryset(self):
        return super().get_queryset().select_related("user__authority")


class ApiToken(AbstractAuthToken):
    """A personal token for the read-only API (django-rest-knox's token, swapped in with
    ``KNOX_TOKEN_MODEL``). Only a SHA-512 digest of the key is kept, with its first characters to
    find it by: the key itself is shown once, to its owner, when it is made. Each token has a name,
    an expiry, whether it was made in a session that had passed two-factor authentication, and the
    last day it was used; its history (made, first use each day, revoked) is the audit trail."""

    id = models.BigAutoField(primary_key=True)
    digest = models.CharField(max_length=CONSTANTS.DIGEST_LENGTH, unique=True, editable=False)
    token_key = models.CharField(
        max_length=CONSTANTS.MAXIMUM_TOKEN_PREFIX_LENGTH + CONSTANTS.TOKEN_KEY_LENGTH, db_index=True, editable=False
    )
    name = models.CharField(max_length=100, help_text="What the token is for, in the owner's words.")
    expiry = models.DateTimeField()
    created_with_two_factor = models.BooleanField(
        default=False, help_text="Made in a session that had entered an authenticator code."
    )
    last_used_on = models.DateField(null=True, blank=True)
    objects = ApiTokenManager()
    history = AuditedRecords(excluded_fields=["digest", "token_key"])

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = "API token"
        constraints = [models.UniqueConstraint(fields=["user", "name"], name="api_token_name_unique_per_person")]

    def __str__(self):
        return f"{self.name} — {self.user}"

    @property
    def expired(self) -> bool:
        return self.expiry <= timezone.now()


class Notification(models.Model):
    """Something that happened that a person should know about: shown on their notifications page
    and, unless they chose otherwise, sent by email (``accounts.notifications``). Each event has a
    key, and a person gets one notification per key however often the event is reported."""

    class Kind(models.TextChoices):
        REPORT_SHARED = "report_shared", "Visit report shared"
        REPORT_RESPONSE = "report_response", "Headteacher responded to a visit report"
        PLAN_AGREED = "plan_agreed", "Plan agreed"
        DECISION = "decision", "Board decision recorded"
        DEADLINE_NEAR = "deadline_near", "Deadline near"
        DEADLINE_PASSED = "deadline_passed", "Deadline passed"
        IMPORT_FINISHED = "import_finished", "Import finished"
        MONTHLY_REPORT = "monthly_report", "Monthly report ready"

    recipient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    authority = models.ForeignKey(
        Authority, null=True, blank=True, on_delete=models.CASCADE, related_name="+", help_text="Where it happened."
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    key = models.CharField(max_length=200, help_text="The event: the same event is notified once per person.")
    title = models.CharField(max_length=300)
    url = models.CharField("link", max_length=500, help_text="The page about it, a path in the portal.")
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["recipient", "key"], name="one_notification_per_event")]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread"),
            models.Index(fields=["recipient", "-created_at"], name="notification_newest"),
        ]

    def __str__(self):
        return f"{self.title} — {self.recipient}"
