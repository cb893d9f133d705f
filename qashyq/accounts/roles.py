"""Which permissions each role's group holds. Later apps add their permissions here."""

from qashyq.accounts.data import Role

# "app_label.codename" of permissions each role grants.
ROLE_PERMISSIONS: dict[Role, tuple[str, ...]] = {
    Role.STUDENT: ("accounts.view_student_dashboard",),
    Role.TEACHER: ("accounts.view_teacher_dashboard",),
    Role.TUTOR: ("accounts.view_tutor_dashboard",),
    Role.ADMINISTRATION: ("accounts.view_administration_dashboard",),
    Role.DIDACTICS: ("accounts.view_didactics_dashboard",),
    Role.IT_SUPPORT: ("accounts.view_it_support_dashboard", "accounts.manage_roles", "audit.view_event"),
    Role.HEAD: ("accounts.view_head_dashboard", "audit.view_event"),
}
