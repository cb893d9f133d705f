"""Printed orders and extracts: what the PDFs say, in Kazakh and in Russian, and what they keep private."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from qashyq.audit.models import Event
from qashyq.documents.models import Document
from qashyq.documents.tests.pdf import pdf_text, stored_bytes
from qashyq.records import printing
from qashyq.records.data import ExpulsionReason, OrderKind, OrderStatus
from qashyq.records.models import OrderItem
from qashyq.records.tests import printing_data as data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def order():
    data.make_institution()
    return data.make_signed_order(students=3)


def read(document_id: int, tmp_path) -> str:
    return pdf_text(stored_bytes(Document.objects.get(pk=document_id)), tmp_path)


class TestOrderDocuments:
    def test_one_pdf_in_kazakh_and_one_in_russian(self, order):
        kk, ru = printing.order_documents_issue(order=order, actor=order.signed_by)
        assert (kk.language, ru.language) == ("kk", "ru")
        assert kk.title == "Бұйрық № 137-ОД (оқуға қабылдау)"
        assert ru.title == "Приказ № 137-ОД (зачисление)"
        assert kk.number == ru.number == "137-ОД"
        assert kk.issued_on == ru.issued_on == timezone.localdate()
        assert kk.verification_code != ru.verification_code
        stored = Document.objects.get(pk=kk.id)
        assert (stored.kind, stored.target_type, stored.target_id) == ("records.order", "records.order", str(order.pk))
        assert stored.issuer == "Әл-Фараби атындағы Үлгі университеті"
        assert Document.objects.get(pk=ru.id).issuer == "Образцовый университет имени аль-Фараби"
        assert Event.objects.filter(action="documents.issued", actor_id=order.signed_by.pk).count() == 2

    def test_kazakh_text(self, order, tmp_path):
        kk, _ru = printing.order_documents_issue(order=order, actor=order.signed_by)
        text = read(kk.id, tmp_path)
        for expected in (
            "ӘЛ-ФАРАБИ АТЫНДАҒЫ ҮЛГІ УНИВЕРСИТЕТІ",
            "БҰЙРЫҚ",
            "ПРИКАЗ",
            "№ 137-ОД",
            "Алматы қ.",
            "г. Алматы",
            "Білім алушыларды оқуға қабылдау туралы",
            "Қазақстан Республикасының «Білім туралы» Заңына сәйкес, өтініштер негізінде",
            "БҰЙЫРАМЫН:",
            "2026 жылғы 1 қыркүйектен бастап төмендегі тұлғалар ИС-26-1 тобына білім алушылар қатарына қабылдансын:",
            "Білім алушылар тізімі",
            "Тегі, аты, әкесінің аты",
            "Осы бұйрықтың орындалуын бақылау ҚБТ бойынша оқу процесін әкімшілендіру қызметінің басшысына жүктелсін.",
            "Осы бұйрық 2026 жылғы 1 қыркүйектен бастап күшіне енеді.",
            "Басшы А.Б. Сейітова",
            f"коды: {kk.verification_code}",
        ):
            assert expected in text, expected
        for letter in "әғқңөұүі":  # "һ" is in no formula of an order: see documents' tests
            assert letter in text, letter
        assert "ПРИКАЗЫВАЮ" not in text

    def test_russian_text(self, order, tmp_path):
        _kk, ru = printing.order_documents_issue(order=order, actor=order.signed_by)
        text = read(ru.id, tmp_path)
        for expected in (
            "ОБРАЗЦОВЫЙ УНИВЕРСИТЕТ ИМЕНИ",
            "ПРИКАЗ",
            "№ 137-ОД",
            "О зачислении обучающихся",
            "ПРИКАЗЫВАЮ:",
            "Зачислить с 1 сентября 2026 года в число обучающихся группы ИС-26-1 следующих лиц:",
            "Список обучающихся",
            "Фамилия, имя, отчество",
            "Контроль за исполнением настоящего приказа возложить на руководителя службы администрирования "
            "учебного процесса по ДОТ.",
            "Настоящий приказ вступает в силу с 1 сентября 2026 года.",
            "Руководитель А.Б. Сейітова",
            f"документа: {ru.verification_code}",
        ):
            assert expected in text, expected
        assert "БҰЙЫРАМЫН" not in text

    @pytest.mark.parametrize("language", ["kk", "ru"])
    def test_every_student_is_listed_without_the_iin(self, order, tmp_path, language):
        documents = printing.order_documents_issue(order=order, actor=order.signed_by)
        document = next(d for d in documents if d.language == language)
        text = read(document.id, tmp_path)
        items = list(order.items.select_related("student").order_by("position"))
        for item in items:
            student = item.student
            assert f"{item.position} {student.full_name} 6B06101 ИС-26-1" in text
            assert student.iin not in text
        form, funding = ("күндізгі", "мемлекеттік грант") if language == "kk" else ("очная", "государственный грант")
        assert text.count(form) == 3
        assert text.count(funding) == 3

    def test_draft_is_refused_and_nothing_is_issued(self, order):
        order.status = OrderStatus.DRAFT
        order.number_label = ""
        with translation.override("en"), pytest.raises(ValidationError) as refused:
            printing.order_documents_issue(order=order, actor=order.signed_by)
        assert refused.value.messages == ["Only a signed order is issued as a document; this one is a draft."]
        assert Document.objects.count() == 0
        assert Event.objects.filter(action="documents.issued").count() == 0

    def test_placeholder_letterhead_without_an_institution_profile(self, tmp_path):
        order = data.make_signed_order(students=1)
        kk, _ru = printing.order_documents_issue(order=order, actor=order.signed_by)
        text = read(kk.id, tmp_path)
        assert "БІЛІМ БЕРУ ҰЙЫМЫНЫҢ АТАУЫ" in text
        assert "НАИМЕНОВАНИЕ ОРГАНИЗАЦИИ ОБРАЗОВАНИЯ" in text

    def test_students_going_to_different_groups(self, order, tmp_path):
        other = data.make_group(code="ИС-26-2")
        item = order.items.order_by("position").last()
        item.changes = {**item.changes, "group": other.pk, "group_code": "ИС-26-2"}
        item.save()
        kk, ru = printing.order_documents_issue(order=order, actor=order.signed_by)
        assert "тізімде көрсетілген топтарға білім алушылар қатарына қабылдансын:" in read(kk.id, tmp_path)
        text = read(ru.id, tmp_path)
        assert "в число обучающихся в группы, указанные в списке, следующих лиц:" in text
        assert f"{item.student.full_name} 6B06101 ИС-26-2" in text


class TestKinds:
    def test_expulsion_lists_the_reasons(self, order, tmp_path):
        order.kind = OrderKind.EXPULSION
        order.save()
        group = data.make_group(code="ЭК-25-1", programme_code="6B04101")
        for item in order.items.select_related("student"):
            item.student.group = group
            item.student.programme = group.programme
            item.student.save()
            item.changes = {}
            item.reason = ExpulsionReason.OWN_WISH if item.position == 1 else ExpulsionReason.ACADEMIC_FAILURE
            item.save()
        kk, ru = printing.order_documents_issue(order=order, actor=order.signed_by)
        text = read(kk.id, tmp_path)
        assert kk.title == "Бұйрық № 137-ОД (оқудан шығару)"
        assert "білім алушылар қатарынан шығарылсын:" in text
        assert "Негізі" in text
        assert "6B04101 ЭК-25-1 күндізгі мемлекеттік грант өз қалауы бойынша" in text
        assert text.count("академиялық үлгермегені үшін") == 2
        text = read(ru.id, tmp_path)
        assert "Отчислить с 1 сентября 2026 года из числа обучающихся следующих лиц" in text
        assert "по собственному желанию" in text

    def test_transfer_shows_before_and_after(self, order, tmp_path):
        order.kind = OrderKind.TRANSFER
        order.save()
        old = data.make_group(code="ИС-25-1")
        item = order.items.select_related("student").get(position=1)
        item.student.group = old
        item.student.save()
        kk, ru = printing.order_documents_issue(order=order, actor=order.signed_by)
        text = read(ru.id, tmp_path)
        assert "Перевести с 1 сентября 2026 года в группу ИС-26-1 следующих обучающихся:" in text
        assert f"{item.student.full_name} 6B06101 ИС-25-1 → ИС-26-1" in text
        assert "төмендегі білім алушылар ИС-26-1 тобына ауыстырылсын:" in read(kk.id, tmp_path)

    def test_academic_leave_prints_its_end(self, order, tmp_path):
        order.kind = OrderKind.ACADEMIC_LEAVE
        order.save()
        OrderItem.objects.filter(order=order).update(changes={"until": "2027-08-31"})
        kk, ru = printing.order_documents_issue(order=order, actor=order.signed_by)
        text = read(kk.id, tmp_path)
        assert "2026 жылғы 1 қыркүйектен бастап төмендегі білім алушыларға академиялық демалыс берілсін:" in text
        assert text.count("31.08.2027 дейін") == 3
        assert "Предоставить академический отпуск с 1 сентября 2026 года следующим обучающимся:" in read(
            ru.id, tmp_path
        )

    def test_cancellation_names_the_cancelled_order(self, order, tmp_path):
        cancellation = data.make_signed_order(students=0, number=140, group=data.make_group(code="X-1"))
        cancellation.kind = OrderKind.CANCELLATION
        cancellation.cancels = order
        cancellation.title_ru = "Об отмене приказа № 137-ОД"
        cancellation.save()
        for item in order.items.all():
            OrderItem.objects.create(
                order=cancellation, student=item.student, position=item.position, changes={"cancels_item": item.pk}
            )
        kk, ru = printing.order_documents_issue(order=cancellation, actor=cancellation.signed_by)
        of_kk = printing.date_of_words(order.order_date, "kk")
        of_ru = printing.date_of_words(order.order_date, "ru")
        title_kk = "«Білім алушыларды оқуға қабылдау туралы»"
        assert f"{of_kk} № 137-ОД {title_kk} бұйрығының күші 2026 жылғы 1 қыркүйектен бастап жойылды" in read(
            kk.id, tmp_path
        )
        text = read(ru.id, tmp_path)
        assert f"Признать утратившим силу с 1 сентября 2026 года приказ {of_ru} № 137-ОД «О зачислении" in text
        assert ru.title == "Приказ № 140-ОД (отмена приказа)"


class TestExtract:
    @pytest.mark.parametrize("language", ["kk", "ru"])
    def test_holds_only_that_student(self, order, tmp_path, language):
        items = list(order.items.select_related("student").order_by("position"))
        chosen = items[1]
        document = printing.order_extract_issue(order_item=chosen, language=language, actor=order.signed_by)
        text = read(document.id, tmp_path)
        assert f"2 {chosen.student.full_name} 6B06101 ИС-26-1" in text
        for other in (items[0], items[2]):
            assert other.student.full_name not in text
            assert other.student.last_name not in text
        assert chosen.student.iin not in text
        assert "№ 137-ОД" in text
        if language == "kk":
            assert "БҰЙРЫҚТАН ҮЗІНДІ" in text
            assert "БҰЙЫРАМЫН:" in text
            assert "Үзінді дұрыс." in text
        else:
            assert "ВЫПИСКА ИЗ ПРИКАЗА" in text
            assert "ПРИКАЗЫВАЮ:" in text
            assert "Выписка верна." in text

    def test_title_names_no_person(self, order):
        item = order.items.select_related("student").first()
        kk = printing.order_extract_issue(order_item=item, language="kk", actor=order.signed_by)
        ru = printing.order_extract_issue(order_item=item, language="ru", actor=order.signed_by)
        assert kk.title == "№ 137-ОД бұйрықтан үзінді"
        assert ru.title == "Выписка из приказа № 137-ОД"
        stored = Document.objects.get(pk=kk.id)
        assert (stored.kind, stored.target_type, stored.target_id) == (
            "records.order_extract",
            "records.orderitem",
            str(item.pk),
        )
        assert item.student.last_name not in kk.title + ru.title

    def test_english_is_refused(self, order):
        item = order.items.first()
        with pytest.raises(ValidationError):
            printing.order_extract_issue(order_item=item, language="en", actor=order.signed_by)
        assert Document.objects.count() == 0

    def test_draft_is_refused(self, order):
        order.status = OrderStatus.DRAFT
        order.number_label = ""
        order.save()
        item = order.items.first()
        with pytest.raises(ValidationError):
            printing.order_extract_issue(order_item=item, language="kk", actor=order.signed_by)
        assert Document.objects.count() == 0

    def test_get_or_issue_reuses_the_issued_extract(self, order):
        item = order.items.first()
        first = printing.order_extract_get_or_issue(order_item=item, language="kk", actor=order.signed_by)
        again = printing.order_extract_get_or_issue(order_item=item, language="kk", actor=order.signed_by)
        russian = printing.order_extract_get_or_issue(order_item=item, language="ru", actor=order.signed_by)
        assert again == first
        assert russian.id != first.id
        assert Document.objects.count() == 2


def test_a_dlt_order_names_the_type_and_period_of_each_student_and_its_attachments(tmp_path):
    data.make_institution()
    order = data.make_signed_order(students=1, kind=OrderKind.DLT)
    item = order.items.get()
    item.changes = {"dlt_type": "case", "starts_on": "2026-12-01", "ends_on": "2027-06-30", "category": "military"}
    item.save()
    kk, ru = printing.order_documents_issue(order=order, actor=order.signed_by)
    # Table cells wrap: words are compared with the line breaks taken out.
    text_kk, text_ru = (" ".join(read(d.id, tmp_path).split()).replace("– ", "–") for d in (kk, ru))
    assert "кейс-технология, 01.12.2026–30.06.2027" in text_kk
    assert "жеке оқу жоспары" in text_kk
    assert "кейс-технология, 01.12.2026–30.06.2027" in text_ru
    assert "индивидуальный учебный план" in text_ru
    assert "(обучение по ДОТ)" in ru.title
