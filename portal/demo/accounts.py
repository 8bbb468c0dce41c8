"""The demo's people and their sign-in accounts.

Every seat filled gets an invented person with an account; the four personas of
COMMS_ACCOUNTS sit on the Comms Working Group under fixed emails.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group as Role
from django.utils.text import slugify

from core.permissions import CHAIR, MEMBER, VRU_STAFF
from members.models import Membership, Person
from portal.demo.content import FIRST_NAMES, LAST_NAMES

# Published on purpose: demo accounts only, and seed_demo refuses to run with DEBUG off.
PASSWORD = "vrp-demo-2024"  # noqa: S105
SITE_URL = "http://127.0.0.1:8000"
ADMIN_EMAIL = "admin@example.org"
STAFF_EMAIL = "staff@example.org"

# The demo's sign-in accounts on the Comms Working Group: seat → (email, roles).
COMMS_ACCOUNTS = {
    "VRU Programmes and Projects Officer": (STAFF_EMAIL, (VRU_STAFF,)),
    "VRU Director": ("chair@example.org", (CHAIR,)),
    "VRU Manager": ("vice-chair@example.org", (CHAIR, VRU_STAFF)),
    "Corporate Communications, Serious Violence Lead": ("member@example.org", (MEMBER,)),
}
MEMBER_SEAT = "Corporate Communications, Serious Violence Lead"
# Names the demo gives rather than draws: the chair's is written with letters outside
# Windows-1252, so every document shows it prints any name as written.
FIXED_NAMES = {"chair@example.org": "Łucja Wójcik"}


def staff_user():
    """The staff persona's account (None before the Comms seats are filled), with its person."""
    return get_user_model().objects.select_related("person").filter(email=STAFF_EMAIL).first()


class Accounts:
    """Makes the demo's people and accounts, counting what it makes in `created`."""

    def __init__(self, created: Counter):
        self.created = created
        # get_or_create: a flushed database (transactional tests) lacks the migration's roles.
        self.roles = {
            name: Role.objects.get_or_create(name=name)[0] for name in (VRU_STAFF, CHAIR, MEMBER)
        }
        # Hashing is deliberately slow: do it once, and every demo account shares the hash.
        self.password_hash = make_password(PASSWORD)

    def ensure_admin(self) -> None:
        _, created = get_user_model().objects.get_or_create(
            email=ADMIN_EMAIL,
            defaults={
                "first_name": "Portal",
                "last_name": "Administrator",
                "is_staff": True,
                "is_superuser": True,
                "password": self.password_hash,
            },
        )
        self.created["accounts"] += created

    def fill_seat(
        self,
        seat: Membership,
        rng: random.Random,
        *,
        email: str = "",
        roles: Iterable[str] = (MEMBER,),
    ) -> Person:
        """Give a vacant seat a person, with a sign-in account; a filled seat keeps its holder."""
        if seat.person_id:
            return seat.person
        full_name, generated = self._free_email(rng)
        full_name = FIXED_NAMES.get(email, full_name)
        email = email or generated
        person = Person.objects.filter(email=email).first()
        if person is None:
            person = Person.objects.create(
                full_name=full_name, email=email, job_title=seat.role_title, agency=seat.agency
            )
            self.created["people"] += 1
        if person.user_id is None:
            person.user = self._user_for(person, roles)
            person.save(update_fields=["user"])
        seat.person = person
        seat.save(update_fields=["person"])
        return person

    def _free_email(self, rng: random.Random) -> tuple[str, str]:
        """An invented name whose email is not taken yet, numbered if need be."""
        for _ in range(20):
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            email = f"{slugify(first)}.{slugify(last)}@example.org"
            if not Person.objects.filter(email=email).exists():
                return f"{first} {last}", email
        for number in range(2, 1000):
            numbered = email.replace("@", f"{number}@")
            if not Person.objects.filter(email=numbered).exists():
                return f"{first} {last}", numbered
        raise RuntimeError("Ran out of demo names.")

    def _user_for(self, person: Person, roles: Iterable[str]):
        first, _, last = person.full_name.partition(" ")
        user, created = get_user_model().objects.get_or_create(
            email=person.email,
            defaults={"first_name": first, "last_name": last, "password": self.password_hash},
        )
        if created:
            user.groups.set([self.roles[name] for name in roles])
            self.created["accounts"] += 1
        return user
