import pytest
from allauth.mfa.models import Authenticator
from django.core.management import call_command

from qashyq.accounts.api import Role, user_roles
from qashyq.accounts.models import User
from qashyq.audit import api as audit_api
from qashyq.core.iin import iin_parse
from qashyq.demo.services import DEMO_PASSWORD, STUDENT_COUNT, demo_seed, demo_sign_ins


@pytest.mark.django_db
class TestSeedDemo:
    def test_makes_the_institution_once(self):
        made = demo_seed()
        assert made == STUDENT_COUNT + 12
        assert demo_seed() == 0
        assert User.objects.count() == made
        assert audit_api.verify().ok

    def test_students_have_valid_iins_that_match_their_birth_dates(self):
        demo_seed()
        students = [u for u in User.objects.prefetch_related("groups") if Role.STUDENT in user_roles(u)]
        assert len(students) == STUDENT_COUNT
        for student in students:
            facts = iin_parse(student.iin)
            assert 2003 <= facts.birth_date.year <= 2007
        assert len({s.iin for s in students}) == STUDENT_COUNT
        assert any("ұлы" in s.patronymic for s in students)
        assert any(s.patronymic.endswith("вна") for s in students)

    def test_every_role_is_held_and_mfa_roles_are_enrolled(self):
        demo_seed()
        held = set()
        for user in User.objects.all():
            roles = user_roles(user)
            held |= roles
            if roles & {Role.HEAD, Role.ADMINISTRATION, Role.IT_SUPPORT}:
                assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
                assert Authenticator.objects.filter(user=user, type=Authenticator.Type.RECOVERY_CODES).exists()
        assert held == set(Role)

    def test_one_sign_in_per_role(self):
        demo_seed()
        sign_ins = demo_sign_ins()
        assert {s.role for s in sign_ins} == set(Role)
        for s in sign_ins:
            user = User.objects.get(username=s.username)
            assert user.check_password(DEMO_PASSWORD)
            assert (s.totp_secret is not None) == (s.role in {Role.HEAD, Role.ADMINISTRATION, Role.IT_SUPPORT})

    def test_command_prints_the_sign_ins(self, capsys):
        call_command("seed_demo", "--if-empty")
        out = capsys.readouterr().out
        assert "student01" in out
        assert "TOTP secret" in out
        call_command("seed_demo", "--if-empty")
        assert "accounts created" not in capsys.readouterr().out

    def test_demo_totp_prints_a_code_the_sign_in_accepts(self, client, capsys):
        demo_seed()
        call_command("demo_totp", "head")
        code = capsys.readouterr().out.strip()
        assert len(code) == 6
        client.post("/accounts/login/", {"login": "head", "password": DEMO_PASSWORD})
        assert client.post("/accounts/2fa/authenticate/", {"code": code}).status_code == 302
        assert client.get("/").url == "/dashboard/head/"
