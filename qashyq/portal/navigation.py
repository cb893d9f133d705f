"""The main navigation: each entry names the roles that may use it, so nobody sees a dead end."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from qashyq.accounts.api import Role


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    roles: frozenset[Role]  # empty: every signed-in user
    kwargs: tuple[tuple[str, str], ...] = ()

    @property
    def url(self) -> str:
        return reverse(self.url_name, kwargs=dict(self.kwargs))


DASHBOARD_LABELS: dict[Role, Promise] = {
    Role.STUDENT: _("Student dashboard"),
    Role.TEACHER: _("Teacher dashboard"),
    Role.TUTOR: _("Tutor dashboard"),
    Role.ADMINISTRATION: _("Administration service"),
    Role.DIDACTICS: _("Didactic-means service"),
    Role.IT_SUPPORT: _("IT support"),
    Role.HEAD: _("Head's dashboard"),
}

NAV_ITEMS: tuple[NavItem, ...] = (
    *(
        NavItem(label, "portal:dashboard", frozenset({role}), (("role", role.value),))
        for role, label in DASHBOARD_LABELS.items()
    ),
    NavItem(_("Users and roles"), "accounts:user_list", frozenset({Role.IT_SUPPORT})),
    NavItem(_("Orders"), "records:order-list", frozenset({Role.ADMINISTRATION, Role.HEAD})),
    NavItem(_("DLT applications"), "dlt:application-list", frozenset({Role.ADMINISTRATION, Role.HEAD})),
    NavItem(_("DLT orders"), "dlt:order-list", frozenset({Role.ADMINISTRATION, Role.HEAD})),
    NavItem(_("DLT registry"), "dlt:registry", frozenset({Role.ADMINISTRATION, Role.HEAD})),
    NavItem(
        _("Students"), "records:student-list", frozenset({Role.ADMINISTRATION, Role.HEAD, Role.TEACHER, Role.TUTOR})
    ),
    NavItem(_("My record"), "records:student-mine", frozenset({Role.STUDENT})),
    NavItem(_("My DLT application"), "dlt:application-mine", frozenset({Role.STUDENT})),
    NavItem(_("Question banks"), "assessment:bank-list", frozenset({Role.TEACHER, Role.TUTOR, Role.DIDACTICS})),
    NavItem(_("Grading"), "assessment:grading-queue", frozenset({Role.TEACHER, Role.TUTOR})),
    NavItem(_("Grades"), "gradebook:own-gradebook", frozenset({Role.STUDENT})),
    NavItem(
        _("Gradebook"), "gradebook:course-list", frozenset({Role.TEACHER, Role.TUTOR, Role.ADMINISTRATION, Role.HEAD})
    ),
    NavItem(_("Locked grades"), "gradebook:period-list", frozenset({Role.ADMINISTRATION, Role.HEAD})),
    NavItem(_("Transcripts"), "gradebook:transcript-jobs", frozenset({Role.ADMINISTRATION})),
    NavItem(_("Works to grade"), "coursework:workload", frozenset({Role.TEACHER, Role.TUTOR})),
    NavItem(_("Control materials"), "coursework:collection", frozenset({Role.ADMINISTRATION, Role.HEAD})),
    NavItem(_("The institution"), "organization:institution", frozenset({Role.ADMINISTRATION, Role.HEAD})),
    NavItem(_("Structure and staff"), "organization:structure", frozenset({Role.ADMINISTRATION, Role.HEAD})),
    NavItem(
        _("Programmes"),
        "academics:programme-list",
        frozenset({Role.ADMINISTRATION, Role.HEAD, Role.TEACHER, Role.TUTOR, Role.DIDACTICS}),
    ),
    NavItem(_("Academic calendar"), "academics:year-list", frozenset({Role.ADMINISTRATION, Role.HEAD})),
    NavItem(_("Study groups"), "academics:group-list", frozenset({Role.ADMINISTRATION, Role.HEAD})),
    NavItem(
        _("Didactic resources"),
        "content:resource-list",
        frozenset({Role.DIDACTICS, Role.TEACHER, Role.TUTOR, Role.ADMINISTRATION, Role.HEAD}),
    ),
    NavItem(
        _("e-UMK"),
        "content:eumk-list",
        frozenset({Role.DIDACTICS, Role.TEACHER, Role.TUTOR, Role.ADMINISTRATION, Role.HEAD}),
    ),
    NavItem(
        _("Courses"),
        "content:course-list",
        frozenset({Role.STUDENT, Role.TEACHER, Role.TUTOR, Role.ADMINISTRATION, Role.DIDACTICS, Role.HEAD}),
    ),
    NavItem(_("TV schedule"), "content:broadcast-list", frozenset({Role.ADMINISTRATION, Role.HEAD, Role.TEACHER})),
    NavItem(_("My calendar"), "content:calendar", frozenset({Role.STUDENT})),
)


def nav_items_for(roles: frozenset[Role]) -> list[NavItem]:
    return [item for item in NAV_ITEMS if not item.roles or item.roles & roles]


@dataclass(frozen=True)
class Card:
    title: str | Promise
    text: str | Promise
    url_name: str = ""  # the section's page, once it exists

    @property
    def url(self) -> str:
        return reverse(self.url_name) if self.url_name else ""


# What each role's dashboard offers. Each card becomes a working section as its issue lands.
DASHBOARD_CARDS: dict[Role, tuple[Card, ...]] = {
    Role.STUDENT: (
        Card(_("My courses"), _("Materials, video lectures and case packages of your disciplines.")),
        Card(_("Tests and assignments"), _("Current and midterm control, with their deadlines.")),
        Card(
            _("Grades"),
            _("Your gradebook on the letter point-rating scale and your admission to exams."),
            "gradebook:own-gradebook",
        ),
        Card(_("Consultations"), _("On-line consultations and messages to your teachers and tutors.")),
    ),
    Role.TEACHER: (
        Card(_("My courses"), _("Author and publish materials, tests and assignments.")),
        Card(_("Gradebook"), _("Current and midterm control of your groups."), "gradebook:course-list"),
        Card(_("Consultations"), _("Schedule on-line consultations and answer questions.")),
    ),
    Role.TUTOR: (
        Card(_("My students"), _("The students and disciplines you help with.")),
        Card(
            _("Control materials to grade"),
            _("Works handed to you by the administration service."),
            "coursework:workload",
        ),
        Card(_("Consultations"), _("On-line and off-line feedback to students.")),
    ),
    Role.ADMINISTRATION: (
        Card(_("Student body"), _("Students, contingent orders and current performance.")),
        Card(_("DLT applications"), _("Applications, supporting documents and the head's orders.")),
        Card(_("Control materials"), _("Collect works and hand them to tutors."), "coursework:collection"),
    ),
    Role.DIDACTICS: (
        Card(_("E-learning methodical complexes"), _("The e-UMK of every discipline and its readiness.")),
        Card(_("Content catalogue"), _("E-textbooks, multimedia courses and case packages.")),
    ),
    Role.IT_SUPPORT: (
        Card(_("Users and roles"), _("Accounts, roles and second factors.")),
        Card(_("System health"), _("Database, cache, channels and the audit ledger.")),
    ),
    Role.HEAD: (
        Card(_("Orders to sign"), _("Contingent and DLT orders waiting for your signature.")),
        Card(_("The institution"), _("Structural units, staff and the student body at a glance.")),
    ),
}
