"""Pages of question banks: list, detail, question, the editor of every type, images; rights (200/302/400/
403/404) and query counts."""

import copy
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from qashyq.assessment.forms.banks import editor_for
from qashyq.assessment.models import Bank, Image, Question
from qashyq.assessment.tests.helpers import SAMPLES, exam_world, make_question, png_bytes
from qashyq.audit.models import Event
from qashyq.content.tests.factories import CourseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return exam_world()


def form_post(form) -> dict[str, str]:
    """What a browser sends for an unbound form as it is shown."""
    data = {}
    for bound in form:
        value = bound.value()
        if bound.widget_type == "checkbox":
            if value:
                data[bound.html_name] = "on"
        elif value is not None:
            data[bound.html_name] = str(value)
    return data


# --- rights ---------------------------------------------------------------------------------------


READ = {"teacher", "tutor", "admin", "head", "didactics"}
EDIT = {"teacher", "didactics"}
ROLES = ["student", "teacher", "tutor", "outsider_teacher", "admin", "head", "didactics", "it_support"]


@pytest.mark.parametrize("role", ROLES)
def test_page_rights(world, sign_in, role):
    client = sign_in(world, role)
    question = world.questions["single"]
    reads = role in READ
    edits = role in EDIT
    read_pages = [
        reverse("assessment:bank-detail", args=[world.bank.pk]),
        reverse("assessment:question-detail", args=[question.pk]),
    ]
    for url in read_pages:
        assert client.get(url).status_code == (200 if reads else 404), url
    edit_pages = [
        reverse("assessment:bank-edit", args=[world.bank.pk]),
        reverse("assessment:question-edit", args=[question.pk]),
        reverse("assessment:question-create", args=[world.bank.pk, "essay"]),
        reverse("assessment:image-upload", args=[world.bank.pk]),
        reverse("assessment:import-upload", args=[world.bank.pk]),
    ]
    for url in edit_pages:
        assert client.get(url).status_code == (200 if edits else 403 if reads else 404), url
    archive = client.post(reverse("assessment:question-archive", args=[question.pk]))
    assert archive.status_code == (302 if edits else 403 if reads else 404)
    question.refresh_from_db()
    assert question.archived is edits
    listing = client.get(reverse("assessment:bank-list"))
    assert listing.status_code == (200 if role in READ | {"outsider_teacher"} else 404)
    assert client.get(reverse("assessment:bank-create")).status_code == (
        200 if role in {"teacher", "didactics", "outsider_teacher"} else 404
    )


def test_anonymous_is_sent_to_sign_in(client, world):
    response = client.get(reverse("assessment:bank-detail", args=[world.bank.pk]))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_unknown_type_and_missing_objects(world, sign_in):
    client = sign_in(world, "didactics")
    assert client.get(reverse("assessment:question-create", args=[world.bank.pk, "drawing"])).status_code == 404
    assert client.get(reverse("assessment:bank-detail", args=[999999])).status_code == 404
    assert client.get(reverse("assessment:question-detail", args=[999999])).status_code == 404
    assert client.get(reverse("assessment:image-file", args=[999999])).status_code == 404


# --- list and detail ----------------------------------------------------------------------------------


def test_bank_list_counts_and_filter(world, sign_in, django_assert_max_num_queries):
    make_question(world.bank, "true_false", difficulty=3)
    archived = make_question(world.bank, "true_false", difficulty=2)
    archived.archived = True
    archived.save()
    other = Bank.objects.create(discipline=CourseFactory.create().discipline, name="Zzz", created_by=world.didactics)
    client = sign_in(world, "didactics")
    response = client.get(reverse("assessment:bank-list"))
    banks = {b.pk: b for b in response.context["banks"]}
    mine = banks[world.bank.pk]
    assert (mine.count_1, mine.count_2, mine.count_3, mine.count_all) == (9, 0, 1, 10)
    assert other.pk in banks
    response = client.get(reverse("assessment:bank-list"), {"discipline": world.discipline.pk})
    assert [b.pk for b in response.context["banks"]] == [world.bank.pk]
    assert client.get(reverse("assessment:bank-list"), {"discipline": "x"}).status_code == 400
    for index in range(5):
        Bank.objects.create(discipline=world.discipline, name=f"B{index}", created_by=world.teacher)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("assessment:bank-list"))
    few_count = len(few)
    assert few_count <= 12
    for index in range(20):
        bank = Bank.objects.create(
            discipline=CourseFactory.create().discipline, name=f"C{index}", created_by=world.teacher
        )
        make_question(bank, "single")
    with django_assert_max_num_queries(few_count):
        client.get(reverse("assessment:bank-list"))


def test_bank_detail_filters_and_queries(world, sign_in, django_assert_max_num_queries):
    client = sign_in(world, "teacher")
    url = reverse("assessment:bank-detail", args=[world.bank.pk])
    response = client.get(url)
    assert response.context["page"].paginator.count == len(SAMPLES)
    assert client.get(url, {"type": "essay"}).context["page"].paginator.count == 1
    assert client.get(url, {"difficulty": 3}).context["page"].paginator.count == 0
    assert client.get(url, {"q": "astana"}).context["page"].paginator.count == 0
    assert client.get(url, {"q": "prime numbers"}).context["page"].paginator.count == 1
    assert client.get(url, {"topic": world.category.pk}).context["page"].paginator.count == len(SAMPLES)
    assert client.get(url, {"type": "drawing"}).status_code == 400
    world.questions["essay"].archived = True
    world.questions["essay"].save()
    assert client.get(url).context["page"].paginator.count == len(SAMPLES) - 1
    assert client.get(url, {"archived": "1"}).context["page"].paginator.count == 1
    for _index in range(60):
        make_question(world.bank, "single", category=world.category)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    counted = len(captured)
    assert counted <= 14
    assert len(response.context["page"].object_list) == 50
    assert len(client.get(url, {"page": 2}).context["page"].object_list) == len(SAMPLES) - 1 + 60 - 50
    for _index in range(30):
        make_question(world.bank, "essay", category=world.category)
    with django_assert_max_num_queries(counted):
        client.get(url)


def test_question_detail_shows_current_and_versions(world, sign_in):
    from qashyq.assessment.services.banks import question_update

    question = world.questions["single"]
    client = sign_in(world, "tutor")
    response = client.get(reverse("assessment:question-detail", args=[question.pk]))
    assert response.status_code == 200
    assert "Қазақстанның астанасы?" in response.content.decode()
    assert not response.context["can_edit"]
    version = question.current
    question_update(
        actor=world.teacher,
        question=question,
        stem="Жаңа мәтін",
        data=version.data,
        category_path="Algorithms",
        points=1,
    )
    response = client.get(reverse("assessment:question-detail", args=[question.pk]))
    assert "Жаңа мәтін" in response.content.decode()
    assert len(response.context["versions"]) == 1


# --- the editor -------------------------------------------------------------------------------------


@pytest.mark.parametrize("qtype", list(SAMPLES))
def test_editor_round_trip_keeps_every_type(world, sign_in, qtype):
    """Saving the editor as it opens changes nothing: every type's data goes into the fields and back."""
    question = world.questions[qtype]
    client = sign_in(world, "teacher")
    url = reverse("assessment:question-edit", args=[question.pk])
    form = client.get(url).context["form"]
    assert isinstance(form, editor_for(qtype))
    response = client.post(url, form_post(form))
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    question.refresh_from_db()
    assert (
        question.current.data
        == SAMPLES[qtype][1] | ({"feedback_true": "", "feedback_false": ""} if qtype == "true_false" else {})
        or question.current.data == SAMPLES[qtype][1]
    )
    assert question.versions.count() == 1


@pytest.mark.parametrize("qtype", list(SAMPLES))
def test_editor_creates_every_type(world, sign_in, qtype):
    client = sign_in(world, "didactics")
    url = reverse("assessment:question-create", args=[world.bank.pk, qtype])
    source = world.questions[qtype]
    form = editor_for(qtype)(
        initial={"stem": "Жаңа сұрақ", "difficulty": 2, "points": "2", "language": "kk", "category_path": "New/Topic"},
        data_initial=copy.deepcopy(source.current.data),
    )
    response = client.post(url, form_post(form))
    assert response.status_code == 302
    created = Question.objects.get(current__stem="Жаңа сұрақ")
    assert (created.type, created.difficulty, created.category.path) == (qtype, 2, "New/Topic")
    expected = copy.deepcopy(SAMPLES[qtype][1])
    if qtype == "true_false":
        expected |= {"feedback_true": "", "feedback_false": ""}
    assert created.current.data == expected


def test_editor_single_choice_rows(world, sign_in):
    client = sign_in(world, "teacher")
    url = reverse("assessment:question-create", args=[world.bank.pk, "single"])
    base = {"stem": "2 + 2?", "difficulty": "1", "points": "1", "language": "kk"}
    rows = {"row_0_text": "4", "row_0_fraction": "on", "row_1_text": "5", "row_2_text": "", "row_3_text": "6"}
    response = client.post(url, base | rows)
    assert response.status_code == 302
    data = Question.objects.get(current__stem="2 + 2?").current.data
    assert data["options"] == [
        {"id": "a", "text": "4", "fraction": 1.0, "feedback": ""},
        {"id": "b", "text": "5", "fraction": 0.0, "feedback": ""},
        {"id": "c", "text": "6", "fraction": 0.0, "feedback": ""},
    ]
    # no right option: refused with the reason, nothing saved
    count = Question.objects.count()
    response = client.post(url, base | {"stem": "3 + 3?", "row_0_text": "6", "row_1_text": "7"})
    assert response.status_code == 400
    assert Question.objects.count() == count
    assert response.context["form"].non_field_errors()
    response = client.post(
        url, base | {"row_0_text": "4", "row_0_fraction": "on", "row_1_text": "x", "row_1_fraction": "on"}
    )
    assert response.status_code == 400
    assert Question.objects.count() == count


def test_editor_more_rows_saves_nothing(world, sign_in):
    client = sign_in(world, "teacher")
    url = reverse("assessment:question-create", args=[world.bank.pk, "ordering"])
    count = Question.objects.count()
    response = client.post(url, {"stem": "Order", "row_0_text": "a", "more_rows": "1"})
    assert response.status_code == 200
    assert Question.objects.count() == count
    assert response.context["form"].rows == 4 + 3
    assert not response.context["form"].errors


def test_editor_cloze_gaps(world, sign_in):
    client = sign_in(world, "teacher")
    url = reverse("assessment:question-create", args=[world.bank.pk, "cloze"])
    post = {
        "stem": "Толтырыңыз",
        "difficulty": "1",
        "points": "3",
        "language": "kk",
        "text": "Астана — {{1}}; 2+2 = {{2}}; {{3}}.",
        "gap_1_kind": "short",
        "gap_1_answers": "астана\n%50%Акмола",
        "gap_2_kind": "numeric",
        "gap_2_answers": "4±0.5",
        "gap_3_kind": "choice",
        "gap_3_answers": "=көк\n~жасыл",
    }
    count = Question.objects.count()
    response = client.post(url, post | {"text": post["text"] + " {{4}}"})
    assert response.status_code == 400  # {{4}} has no answers yet: its box is shown now
    assert "gap_4_answers" in response.context["form"].errors
    assert Question.objects.count() == count
    response = client.post(url, post)
    assert response.status_code == 302
    gaps = Question.objects.get(current__stem="Толтырыңыз").current.data["gaps"]
    assert gaps[0]["answers"] == [
        {"text": "астана", "fraction": 1.0, "feedback": ""},
        {"text": "Акмола", "fraction": 0.5, "feedback": ""},
    ]
    assert gaps[1]["answers"] == [{"value": 4.0, "tolerance": 0.5, "fraction": 1.0, "feedback": ""}]
    assert [o["fraction"] for o in gaps[2]["options"]] == [1.0, 0.0]
    response = client.post(url, post | {"gap_2_answers": "four"})
    assert response.status_code == 400
    assert "gap_2_answers" in response.context["form"].errors


def test_editing_a_question_shown_in_an_attempt_makes_a_version(world, sign_in):
    from qashyq.assessment.models import Attempt, AttemptQuestion
    from qashyq.assessment.models import Test as TestSettings

    question = world.questions["true_false"]
    test = TestSettings.objects.create(item=world.item, course=world.course)
    attempt = Attempt.objects.create(
        test=test, student=world.students[0], user=world.students[0].user, number=1, started_at="2026-01-01T10:00Z"
    )
    AttemptQuestion.objects.create(
        attempt=attempt, position=1, question=question, version=question.current, type="true_false", points=1
    )
    client = sign_in(world, "teacher")
    url = reverse("assessment:question-edit", args=[question.pk])
    post = form_post(client.get(url).context["form"]) | {"answer": "false"}
    assert client.post(url, post).status_code == 302
    question.refresh_from_db()
    assert question.current.number == 2
    assert question.current.data["answer"] is False
    assert question.versions.get(number=1).data == {"answer": True}


# --- images --------------------------------------------------------------------------------------------


def test_image_upload_and_serving(world, sign_in, client):
    client = sign_in(world, "teacher")
    url = reverse("assessment:image-upload", args=[world.bank.pk])
    response = client.post(url, {"file": io.BytesIO(png_bytes())}, HTTP_ACCEPT="application/json")
    assert response.status_code == 400  # no name: not a file
    upload = io.BytesIO(png_bytes())
    upload.name = "dot.png"
    response = client.post(url, {"file": upload}, HTTP_ACCEPT="application/json")
    assert response.status_code == 201
    image = Image.objects.get()
    assert response.json() == {"id": image.pk, "url": f"/assessment/images/{image.pk}/", "name": "dot.png"}
    assert reverse("assessment:image-file", args=[image.pk]) == response.json()["url"]
    upload = io.BytesIO(png_bytes())
    upload.name = "two.png"
    response = client.post(url, {"file": upload, "next": "https://evil.example/"})
    assert response.status_code == 302
    assert response["Location"] == url
    served = client.get(f"/assessment/images/{image.pk}/")
    assert served.status_code == 200
    assert served["Content-Type"] == "image/png"
    assert b"".join(served.streaming_content) == png_bytes()
    editor = client.get(reverse("assessment:question-edit", args=[world.questions["single"].pk]))
    assert f"/assessment/images/{image.pk}/" in editor.content.decode()
    sign_in(world, "tutor")
    assert client.get(f"/assessment/images/{image.pk}/").status_code == 200
    sign_in(world, "student")
    assert client.get(f"/assessment/images/{image.pk}/").status_code == 404
    sign_in(world, "outsider_teacher")
    assert client.get(f"/assessment/images/{image.pk}/").status_code == 404


def test_image_upload_refuses_a_non_image(world, sign_in):
    client = sign_in(world, "teacher")
    upload = io.BytesIO(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    upload.name = "x.pdf"
    response = client.post(reverse("assessment:image-upload", args=[world.bank.pk]), {"file": upload})
    assert response.status_code == 400
    assert not Image.objects.exists()


def test_bank_create_and_edit_pages(world, sign_in):
    client = sign_in(world, "teacher")
    response = client.post(
        reverse("assessment:bank-create"), {"discipline": world.discipline.pk, "name": "Final", "description": ""}
    )
    bank = Bank.objects.get(name="Final")
    assert response.status_code == 302
    assert response["Location"] == reverse("assessment:bank-detail", args=[bank.pk])
    other = CourseFactory.create().discipline
    response = client.post(reverse("assessment:bank-create"), {"discipline": other.pk, "name": "Not mine"})
    assert response.status_code == 400
    assert not Bank.objects.filter(name="Not mine").exists()
    response = client.post(
        reverse("assessment:bank-edit", args=[bank.pk]), {"discipline": world.discipline.pk, "name": ""}
    )
    assert response.status_code == 400
    response = client.post(
        reverse("assessment:bank-edit", args=[bank.pk]), {"discipline": world.discipline.pk, "name": "Final exam"}
    )
    assert response.status_code == 302
    bank.refresh_from_db()
    assert bank.name == "Final exam"
    assert Event.objects.filter(action="assessment.bank_update").count() == 1
