"""Adding a dated version of the grading policy: the service (the values stored, the audit event, each refusal
changing nothing), who may add one, and the form on the policy page."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from qashyq.academics.tests.factories import AcademicPeriodFactory
from qashyq.audit.models import Event
from qashyq.gradebook import permissions
from qashyq.gradebook.models import GradingPolicy, PeriodClosure
from qashyq.gradebook.services import policy as policy_services
from qashyq.gradebook.tests.factories import gradebook_world
from qashyq.gradebook.tests.pages_helpers import sign_in

pytestmark = pytest.mark.django_db

ROLES = ["student", "teacher", "tutor", "admin", "head", "didactics", "it_support", "anonymous"]
ALLOWED = {"admin", "head"}


@pytest.fixture
def world():
    return gradebook_world()


def tomorrow() -> date:
    return timezone.localdate() + timedelta(days=1)


def values(world, **change):
    """The arguments of `policy_create` for a version from tomorrow, with `change`."""
    return {
        "valid_from": tomorrow(),
        "scale_id": world.policy.scale_id,
        "current_weight": Decimal("0.60"),
        "exam_weight": Decimal("0.30"),
        "admission_threshold": Decimal("55.50"),
        "exam_threshold": Decimal("45"),
        "rounding": "half_even",
        "entry_window_days": 7,
        "retake_window_days": 21,
        **change,
    }


def form_data(world, **change):
    """The POST of the form for `values(world)`, with `change` (by the form's field names)."""
    data = values(world)
    data["scale"] = data.pop("scale_id")
    data["valid_from"] = data["valid_from"].isoformat()
    return {**{key: str(value) for key, value in data.items()}, **change}


# --- The service ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["admin", "head"])
def test_a_version_is_stored_with_its_exact_values_and_audited(world, role):
    actor = world.user(role)
    created = policy_services.policy_create(actor=actor, **values(world))
    stored = GradingPolicy.objects.get(pk=created.pk)
    assert (
        stored.valid_from,
        stored.scale_id,
        stored.current_weight,
        stored.exam_weight,
        stored.admission_threshold,
        stored.exam_threshold,
        stored.rounding,
        stored.entry_window_days,
        stored.retake_window_days,
    ) == (
        tomorrow(),
        world.policy.scale_id,
        Decimal("0.60"),
        Decimal("0.30"),
        Decimal("55.50"),
        Decimal("45.00"),
        "half_even",
        7,
        21,
    )
    event = Event.objects.order_by("-seq").first()
    assert event.action == "gradebook.policy_created"
    assert event.actor_id == actor.pk
    assert event.after == {
        "valid_from": tomorrow().isoformat(),
        "scale": world.policy.scale_id,
        "current_weight": "0.60",
        "exam_weight": "0.30",
        "admission_threshold": "55.50",
        "exam_threshold": "45.00",
        "rounding": "half_even",
        "entry_window_days": 7,
        "retake_window_days": 21,
    }
    assert GradingPolicy.objects.count() == 2


def test_the_limits_are_accepted(world):
    created = policy_services.policy_create(
        actor=world.admin,
        **values(
            world,
            current_weight=Decimal("0"),
            exam_weight=Decimal("1"),
            admission_threshold=Decimal("0"),
            exam_threshold=Decimal("100"),
            entry_window_days=1,
            retake_window_days=365,
        ),
    )
    assert (created.exam_weight, created.exam_threshold, created.retake_window_days) == (1, 100, 365)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"valid_from": date(2000, 1, 1)}, "valid_from"),
        ({"valid_from": timezone.localdate() - timedelta(days=1)}, "valid_from"),
        ({"valid_from": "tomorrow"}, "valid_from"),
        ({"scale_id": 999_999}, "scale_id"),
        ({"current_weight": Decimal("1.01")}, "current_weight"),
        ({"current_weight": Decimal("-0.01")}, "current_weight"),
        ({"exam_weight": Decimal("0.333")}, "exam_weight"),
        ({"exam_weight": "much"}, "exam_weight"),
        ({"admission_threshold": Decimal("100.01")}, "admission_threshold"),
        ({"exam_threshold": Decimal("-1")}, "exam_threshold"),
        ({"rounding": "up"}, "rounding"),
        ({"entry_window_days": 0}, "entry_window_days"),
        ({"entry_window_days": 366}, "entry_window_days"),
        ({"retake_window_days": 0}, "retake_window_days"),
        ({"retake_window_days": 366}, "retake_window_days"),
    ],
)
def test_a_bad_value_is_refused_on_its_field_and_changes_nothing(world, change, field):
    events = Event.objects.count()
    with pytest.raises(ValidationError) as refused:
        policy_services.policy_create(actor=world.admin, **values(world, **change))
    assert list(refused.value.message_dict) == [field]
    assert GradingPolicy.objects.count() == 1
    assert Event.objects.count() == events


def test_versions_only_go_forward(world):
    later = policy_services.policy_create(actor=world.admin, **values(world, valid_from=tomorrow() + timedelta(days=9)))
    events = Event.objects.count()
    for day in (tomorrow(), later.valid_from):
        with pytest.raises(ValidationError) as refused:
            policy_services.policy_create(actor=world.admin, **values(world, valid_from=day))
        assert list(refused.value.message_dict) == ["valid_from"]
    assert list(GradingPolicy.objects.values_list("pk", flat=True)) == [later.pk, world.policy.pk]
    assert Event.objects.count() == events
    policy_services.policy_create(actor=world.admin, **values(world, valid_from=later.valid_from + timedelta(days=1)))
    assert GradingPolicy.objects.count() == 3


def test_no_version_from_inside_a_closed_period(world):
    day = tomorrow() + timedelta(days=400)
    period = AcademicPeriodFactory.create(
        number=9, start_date=day - timedelta(days=10), end_date=day + timedelta(days=10)
    )
    PeriodClosure.objects.create(period_id=period.pk, closed_by=world.admin)
    events = Event.objects.count()
    for inside in (period.start_date, day, period.end_date):
        with pytest.raises(ValidationError) as refused:
            policy_services.policy_create(actor=world.admin, **values(world, valid_from=inside))
        assert list(refused.value.message_dict) == ["valid_from"]
    assert GradingPolicy.objects.count() == 1
    assert Event.objects.count() == events
    # The day after the closed period is free.
    after = policy_services.policy_create(
        actor=world.admin, **values(world, valid_from=period.end_date + timedelta(days=1))
    )
    assert after.valid_from == period.end_date + timedelta(days=1)


def test_an_open_period_does_not_stop_a_version(world):
    day = tomorrow() + timedelta(days=400)
    AcademicPeriodFactory.create(number=9, start_date=day - timedelta(days=10), end_date=day + timedelta(days=10))
    assert policy_services.policy_create(actor=world.admin, **values(world, valid_from=day)).valid_from == day


# --- Who may add a version -----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_who_may_add_a_version(world, role):
    user = world.user(role)
    assert permissions.can_add_policy(user=user) is (role in ALLOWED)
    if role in ALLOWED:
        assert policy_services.policy_create(actor=user, **values(world)).valid_from == tomorrow()
        return
    events = Event.objects.count()
    with pytest.raises(PermissionDenied):
        policy_services.policy_create(actor=user, **values(world))
    assert GradingPolicy.objects.count() == 1
    assert Event.objects.count() == events


# --- The page ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [r for r in ROLES if r != "anonymous"])
def test_the_form_is_shown_only_to_who_may_add(client, world, enrol_totp, role):
    response = sign_in(client, world, role, enrol_totp).get(reverse("gradebook:policy"))
    assert response.status_code == 200
    html = response.content.decode()
    if role in ALLOWED:
        assert 'id="policy-form"' in html
        assert reverse("gradebook:policy-create") in html
    else:
        assert response.context["form"] is None
        assert 'id="policy-form"' not in html
        assert reverse("gradebook:policy-create") not in html


def test_the_form_is_prefilled_from_the_latest_version(client, world, enrol_totp):
    latest = GradingPolicy.objects.create(
        valid_from=tomorrow() + timedelta(days=30),
        scale=world.policy.scale,
        current_weight=Decimal("0.70"),
        exam_weight=Decimal("0.25"),
        admission_threshold=Decimal("60"),
        exam_threshold=Decimal("40"),
        rounding="down",
        entry_window_days=5,
        retake_window_days=30,
    )
    form = sign_in(client, world, "head", enrol_totp).get(reverse("gradebook:policy")).context["form"]
    assert form.initial == {
        "valid_from": latest.valid_from + timedelta(days=1),
        "scale": world.policy.scale_id,
        "current_weight": Decimal("0.70"),
        "exam_weight": Decimal("0.25"),
        "admission_threshold": Decimal("60.00"),
        "exam_threshold": Decimal("40.00"),
        "rounding": "down",
        "entry_window_days": 5,
        "retake_window_days": 30,
    }
    assert [value for value, _label in form.fields["scale"].choices] == [world.policy.scale_id]


def test_a_version_in_the_past_prefills_tomorrow(client, world, enrol_totp):
    form = sign_in(client, world, "admin", enrol_totp).get(reverse("gradebook:policy")).context["form"]
    assert world.policy.valid_from < timezone.localdate()
    assert form.initial["valid_from"] == tomorrow()
    assert form.initial["entry_window_days"] == world.policy.entry_window_days


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("admin", 302),
        ("head", 302),
        ("student", 403),
        ("teacher", 403),
        ("tutor", 403),
        ("didactics", 403),
        ("it_support", 403),
    ],
)
def test_who_may_post_a_version(client, world, enrol_totp, role, status):
    client = sign_in(client, world, role, enrol_totp)
    response = client.post(reverse("gradebook:policy-create"), form_data(world))
    assert response.status_code == status
    assert GradingPolicy.objects.count() == (2 if status == 302 else 1)


def test_a_posted_version_is_added_and_the_page_says_so(client, world, enrol_totp):
    client = sign_in(client, world, "admin", enrol_totp)
    response = client.post(reverse("gradebook:policy-create"), form_data(world), follow=True)
    assert response.redirect_chain == [(reverse("gradebook:policy"), 302)]
    created = GradingPolicy.objects.order_by("-valid_from").first()
    assert (created.valid_from, created.current_weight, created.retake_window_days) == (
        tomorrow(),
        Decimal("0.60"),
        21,
    )
    with translation.override("en"):
        assert [str(m) for m in response.context["messages"]] == [
            f"The new version of the grading policy is in force from {date_format(tomorrow(), 'SHORT_DATE_FORMAT')}."
        ]
    assert response.context["versions"].policies[0] == created


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"valid_from": "2000-01-01"}, "valid_from"),
        ({"valid_from": "soon"}, "valid_from"),
        ({"scale": "999999"}, "scale"),
        ({"current_weight": "1.5"}, "current_weight"),
        ({"exam_threshold": "101"}, "exam_threshold"),
        ({"rounding": "up"}, "rounding"),
        ({"entry_window_days": "0"}, "entry_window_days"),
        ({"retake_window_days": "400"}, "retake_window_days"),
    ],
)
def test_a_bad_post_shows_the_error_on_its_field(client, world, enrol_totp, change, field):
    client = sign_in(client, world, "head", enrol_totp)
    events = Event.objects.count()
    response = client.post(reverse("gradebook:policy-create"), form_data(world, **change))
    assert response.status_code == 400
    assert list(response.context["form"].errors) == [field]
    assert 'id="policy-form"' in response.content.decode()
    assert GradingPolicy.objects.count() == 1
    assert Event.objects.count() == events


def test_a_date_inside_a_closed_period_is_shown_on_the_date(client, world, enrol_totp):
    day = tomorrow()
    period = AcademicPeriodFactory.create(
        number=9, start_date=day - timedelta(days=5), end_date=day + timedelta(days=5)
    )
    PeriodClosure.objects.create(period_id=period.pk, closed_by=world.admin)
    client = sign_in(client, world, "admin", enrol_totp)
    response = client.post(reverse("gradebook:policy-create"), form_data(world, valid_from=day.isoformat()))
    assert response.status_code == 400
    assert response.context["form"].errors["valid_from"] == ["The date falls inside a closed academic period."]
    assert GradingPolicy.objects.count() == 1


def test_anonymous_is_sent_to_sign_in_and_a_get_is_not_allowed(client, world, enrol_totp):
    response = client.post(reverse("gradebook:policy-create"), form_data(world))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]
    client = sign_in(client, world, "admin", enrol_totp)
    assert client.get(reverse("gradebook:policy-create")).status_code == 405
    assert GradingPolicy.objects.count() == 1


def test_a_user_without_a_role_may_not_post(client, world):
    from qashyq.accounts.tests.factories import UserFactory

    client.force_login(UserFactory.create())
    assert client.post(reverse("gradebook:policy-create"), form_data(world)).status_code == 404
    assert GradingPolicy.objects.count() == 1
