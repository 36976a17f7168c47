"""People and tenants.

A User is a person, with one account across every program they work with. A
Program is the tenant: the hosting organisation (a national improvement centre, a
state program) that runs collaboratives. What a user may see inside a program is
decided by their ProgramMembership roles and, further down, by team memberships
and coach assignments (teams app).
"""

import uuid

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from core.timezones import validate_time_zone


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra) -> "User":
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra) -> "User":
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra) -> "User":
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person. Logs in with an e-mail address.

    `is_staff` only opens Django's admin for platform operators; the roles that
    matter in the product are program roles (ProgramMembership) and team roles.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField("e-mail address", max_length=254, unique=True)
    full_name = models.CharField(max_length=150)
    credentials = models.CharField(
        max_length=60,
        blank=True,
        help_text="Professional credentials, e.g. MD, RN, EMT-P.",
    )
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(
        "platform operator",
        default=False,
        help_text="Can open the Django admin. Not the same as program staff.",
    )
    date_joined = models.DateTimeField(default=timezone.now)
    time_zone = models.CharField(
        max_length=64,
        blank=True,
        validators=[validate_time_zone],
        help_text="Pages and e-mails show times in this zone; empty: the collaborative's.",
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.display_name

    def save(self, *args, **kwargs) -> None:
        self.email = (self.email or "").strip().lower()
        super().save(*args, **kwargs)

    @property
    def display_name(self) -> str:
        """Name with credentials, as printed on rosters and certificates."""
        name = self.full_name or self.email
        return f"{name}, {self.credentials}" if self.credentials else name

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class Program(models.Model):
    """The tenant: a hosting program that runs collaboratives.

    Every tenant-owned row elsewhere carries a foreign key to its Program.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    short_name = models.CharField(max_length=40, blank=True)
    website = models.URLField(blank=True)
    contact_email = models.EmailField(blank=True)
    address = models.TextField(
        blank=True, help_text="Postal address, printed on certificates (accreditor rules)."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ProgramRole(models.TextChoices):
    ADMIN = "admin", "Program admin"
    STAFF = "staff", "Program staff"
    COACH = "coach", "Coach"


#: Roles that may run the program: launch collaboratives, approve teams, see all data.
STAFF_ROLES = (ProgramRole.ADMIN, ProgramRole.STAFF)


class ProgramMembership(models.Model):
    """A person's role in a program. One row per role; a person may hold several."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, related_name="program_memberships"
    )
    role = models.CharField(max_length=10, choices=ProgramRole.choices)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["program", "user", "role"], name="accounts_membership_unique_role"
            ),
        ]
        indexes = [models.Index(fields=["user", "is_active"])]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} at {self.program}"
