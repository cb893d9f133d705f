"""The demo institution: realistic staff of the three DLT services and 40 student accounts, then the
institution itself (qashyq/demo/institution.py): its profile, units, programmes, curricula, calendar,
groups and 120 students admitted by signed orders.

Then the learning content (qashyq/demo/content.py): courses with published materials, a captioned video,
a SCORM package, the catalogue, e-UMKs, TV broadcasts and some progress.

Then DLT enrolment (qashyq/demo/dlt.py): applications in every state and category with their supporting
documents, the refusals of rule 10 with their reasons, one signed DLT order in force with its attachments, and
one draft order blocked by a missing e-UMK.

Then the gradebook (qashyq/demo/gradebook.py): the control measures of every course, a semester of grades up
to the day of seeding with some students not admitted for a reason, a reopened entry window, and a closed
earlier period of a second-year group with an FX retake, an F and a change request waiting for the head.

Idempotent: run it again and it changes nothing. Later issues extend it.
"""

import base64
import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.test.utils import override_settings

from qashyq.accounts.api import Role, user_create
from qashyq.core import names
from qashyq.core.iin import iin_make
from qashyq.demo.assessment import assessment_seed
from qashyq.demo.content import content_seed
from qashyq.demo.dlt import dlt_seed
from qashyq.demo.gradebook import gradebook_seed
from qashyq.demo.institution import institution_seed

DEMO_PASSWORD = "Qashyq-demo-2026"  # noqa: S105  (printed by make run on purpose)
DEMO_DOMAIN = "demo.qashyq.kz"
STUDENT_COUNT = 40


@dataclass(frozen=True)
class Person:
    username: str
    last_name: str
    first_name: str
    patronymic: str
    female: bool
    birth_date: date
    roles: tuple[Role, ...]


@dataclass(frozen=True)
class SignIn:
    role: Role
    username: str
    password: str
    totp_secret: str | None
    recovery_code: str | None


STAFF: tuple[Person, ...] = (
    Person("head", "Сәтбаев", "Ерлан", "Мұрат ұлы", False, date(1968, 3, 14), (Role.HEAD,)),
    Person("admin1", "Қасымова", "Гүлнар", "Серік қызы", True, date(1979, 9, 2), (Role.ADMINISTRATION,)),
    Person("admin2", "Иванова", "Елена", "Сергеевна", True, date(1985, 1, 27), (Role.ADMINISTRATION,)),
    Person("didactics1", "Оспанов", "Дәурен", "Асхат ұлы", False, date(1981, 6, 19), (Role.DIDACTICS,)),
    Person("didactics2", "Морозова", "Ольга", "Павловна", True, date(1990, 11, 5), (Role.DIDACTICS,)),
    Person("itsupport", "Төлеуов", "Олжас", "Нұрлан ұлы", False, date(1992, 4, 8), (Role.IT_SUPPORT,)),
    Person("teacher1", "Байтұрсынова", "Сәуле", "Қайрат қызы", True, date(1975, 12, 1), (Role.TEACHER,)),
    Person("teacher2", "Кузнецов", "Андрей", "Иванович", False, date(1972, 7, 23), (Role.TEACHER,)),
    Person("teacher3", "Ахметов", "Бауыржан", "Ғалым ұлы", False, date(1983, 2, 11), (Role.TEACHER, Role.TUTOR)),
    Person("teacher4", "Нұрпейісова", "Мадина", "Талғат қызы", True, date(1987, 8, 30), (Role.TEACHER,)),
    Person("tutor1", "Ермекова", "Жанар", "Азамат қызы", True, date(1991, 5, 17), (Role.TUTOR,)),
    Person("tutor2", "Смирнов", "Павел", "Алексеевич", False, date(1994, 10, 9), (Role.TUTOR,)),
)


def _students() -> list[Person]:
    people = []
    for i in range(STUDENT_COUNT):
        female = i % 2 == 1
        if i % 4 == 3:  # every fourth student has a Russian name
            first = (names.RUSSIAN_FEMALE if female else names.RUSSIAN_MALE)[i % 8]
            surname = names.RUSSIAN_SURNAMES[i % 8]
            patronymic = names.russian_patronymic(names.RUSSIAN_MALE[(i + 3) % 8], female=female)
        else:
            first = (names.KAZAKH_FEMALE if female else names.KAZAKH_MALE)[i % 20]
            surname = names.KAZAKH_SURNAMES[i % 16]
            patronymic = names.kazakh_patronymic(names.KAZAKH_MALE[(i + 7) % 20], female=female)
        last = names.female_surname(surname) if female else surname
        birth = date(2003 + i % 5, 1 + i % 12, 1 + (i * 7) % 28)
        people.append(Person(f"student{i + 1:02d}", last, first, patronymic, female, birth, (Role.STUDENT,)))
    return people


def totp_secret_for(username: str) -> str:
    """A fixed TOTP secret per demo account, so the printed sign-ins stay valid between runs."""
    digest = hashlib.sha256(f"qashyq-demo-totp:{username}".encode()).digest()[:20]
    return base64.b32encode(digest).decode()


def _ensure_mfa(user: object, username: str) -> None:
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, totp_secret_for(username))
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.RECOVERY_CODES).exists():
        RecoveryCodes.activate(user)


@contextmanager
def _mail_kept_back() -> Iterator[None]:
    """The demo's people have made-up addresses: the notices of the seeded steps stay in the app (their
    in-app notices), and no e-mail leaves while the demo is built (the notices are sent after commit, inside
    this block, when background tasks run at once as in the embedded default)."""
    with override_settings(MAILERS={"default": {"BACKEND": "django.core.mail.backends.dummy.EmailBackend"}}):
        yield


def demo_seed() -> int:
    """Create whatever part of the demo institution is missing; return how many accounts were made."""
    User = get_user_model()
    existing = set(User.objects.filter(email__endswith=f"@{DEMO_DOMAIN}").values_list("username", flat=True))
    made: list[str] = []
    # One hash for all: hashing 52 passwords one by one would take most of a minute.
    password_hash = make_password(DEMO_PASSWORD)
    with _mail_kept_back(), transaction.atomic():
        for serial, person in enumerate((*STAFF, *_students()), start=1):
            if person.username not in existing:
                user_create(
                    username=person.username,
                    email=f"{person.username}@{DEMO_DOMAIN}",
                    password=None,
                    password_hash=password_hash,
                    first_name=person.first_name,
                    last_name=person.last_name,
                    patronymic=person.patronymic,
                    iin=iin_make(
                        birth_date=person.birth_date, sex="female" if person.female else "male", serial=serial * 17
                    ),
                    roles=person.roles,
                )
                made.append(person.username)
        for person in STAFF:
            if {Role.HEAD, Role.ADMINISTRATION, Role.IT_SUPPORT} & set(person.roles):
                _ensure_mfa(User.objects.get(username=person.username), person.username)
        institution_seed()
        content_seed()
        assessment_seed()
        dlt_seed()
        gradebook_seed()
    return len(made)


def demo_sign_ins() -> list[SignIn]:
    """One sign-in per role, with the second factor where the role needs one."""
    User = get_user_model()
    shown: dict[Role, SignIn] = {}
    for person in (*STAFF, *_students()[:1]):
        role = person.roles[0]
        if role in shown:
            continue
        user = User.objects.filter(username=person.username).first()
        if user is None:
            continue
        codes = Authenticator.objects.filter(user=user, type=Authenticator.Type.RECOVERY_CODES).first()
        has_totp = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        unused = RecoveryCodes(codes).get_unused_codes() if codes else []
        shown[role] = SignIn(
            role=role,
            username=person.username,
            password=DEMO_PASSWORD,
            totp_secret=totp_secret_for(person.username) if has_totp else None,
            recovery_code=unused[0] if unused else None,
        )
    return list(shown.values())
