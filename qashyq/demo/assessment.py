"""Testing in the demo institution (issue 6), built through the assessment services as people would click it,
so every step is checked and audited:

- a question bank per discipline with a test item in the demo courses (7 banks). "Introduction to Computer
  Science" (IK 1120) and "Introduction to the Teaching Profession" (PK 1160) hold full banks: two topics in
  Kazakh with questions of every type and three difficulties, an essay topic, and a topic of Russian questions
  of every type; the informatics choice questions are imported from a Kazakh-format (Platonus) text with
  `<question2>`/`<question3>` difficulty tags. The other five banks hold questions made from their course's
  glossary (which term is meant, a matching of every term) and an essay;
- a test for the first midterm control of IK 1120 (10 simple + 5 medium + 4 hard questions of the two Kazakh
  topics and one essay, 40 minutes, two attempts, the highest counts) and of PK 1160 (6 + 3 + 2 and an essay),
  open from a week before the day of seeding for three weeks;
- in IK 1120: finished attempts of student03, student04 (two), student05 and student07, graded by teacher3
  (the essays with the rubric) except student05's essay, which awaits grading; student06 has an attempt in
  progress; student02 (a disability) has +50 % time;
- student01, the first student account, has no attempt yet: sign in as student01 to take the test.

The questions an attempt draws are random (as in a real exam); how many each student answers rightly is fixed,
so the scores are the same at every seeding. Idempotent: a bank is made when its discipline has none of its
name, a test's settings and blueprint when it has no rule yet, the attempts when the test has none.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone

from qashyq.assessment.data import Difficulty, GradingMethod, QuestionType, ReviewWhen
from qashyq.assessment.models import Attempt, AttemptQuestion, Bank, Category, Test
from qashyq.assessment.rules.grading import right_answer
from qashyq.assessment.services import attempts as attempt_services
from qashyq.assessment.services import banks as bank_services
from qashyq.assessment.services import grading as grading_services
from qashyq.assessment.services import imports as import_services
from qashyq.assessment.services import tests as test_services
from qashyq.content.models import Course, Enrolment, Item
from qashyq.demo import content_texts as texts
from qashyq.demo.content import COURSE_CODE_SUFFIX

ZONE = ZoneInfo(settings.TIME_ZONE)
S, M, H = Difficulty.SIMPLE, Difficulty.MEDIUM, Difficulty.HARD
ESSAYS = "Эссе"
RUSSIAN = "На русском языке"
IP = "10.20.30.41"
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0 (demo)"


def _bank_name(discipline_name: str) -> str:
    return f"{discipline_name}: тест тапсырмаларының банкі"


# --- Question texts ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Q:
    """A question made through the bank services: (type, difficulty, topic, stem, data, points, language)."""

    qtype: str
    difficulty: int
    topic: str
    stem: str
    data: dict[str, Any]
    points: int = 1
    language: str = "kk"
    feedback: str = ""


def _choice(*texts_: str, right: int | tuple[int, ...] = 0, partial: str = "") -> dict[str, Any]:
    """Options a, b, c… of these texts; `right` the index (single) or indexes (multiple, equal shares)."""
    rights = (right,) if isinstance(right, int) else right
    share = 1.0 / len(rights)
    wrong = -share if partial else 0.0
    options = [
        {"id": "abcdefgh"[n], "text": t, "fraction": share if n in rights else wrong, "feedback": ""}
        for n, t in enumerate(texts_)
    ]
    return {"options": options, "partial": partial or "all_or_nothing"}


def _pairs(*pairs: tuple[str, str], distractors: tuple[str, ...] = ()) -> dict[str, Any]:
    return {
        "pairs": [{"id": f"p{n}", "left": left, "right": right} for n, (left, right) in enumerate(pairs, start=1)],
        "distractors": list(distractors),
    }


def _items(*items: str) -> dict[str, Any]:
    return {"items": [{"id": f"i{n}", "text": t} for n, t in enumerate(items, start=1)]}


def _short(*accepted: str) -> dict[str, Any]:
    return {"answers": [{"text": t, "fraction": 1.0, "feedback": ""} for t in accepted], "case_sensitive": False}


def _numeric(value: float, tolerance: float = 0.0, unit: str = "") -> dict[str, Any]:
    return {
        "answers": [{"value": value, "tolerance": tolerance, "fraction": 1.0, "feedback": ""}],
        "units": [{"unit": unit, "multiplier": 1.0}] if unit else [],
        "unit_required": False,
    }


def _essay(*criteria: tuple[str, int], min_words: int = 50, max_words: int = 300) -> dict[str, Any]:
    return {
        "rubric": [{"criterion": c, "points": p} for c, p in criteria],
        "min_words": min_words,
        "max_words": max_words,
        "template": "",
    }


def _gap_choice(gap_id: str, *texts_: str) -> dict[str, Any]:
    return {"id": gap_id, "kind": "choice", "points": 1, "options": _choice(*texts_)["options"]}


def _gap_short(gap_id: str, *accepted: str) -> dict[str, Any]:
    return {"id": gap_id, "kind": "short", "points": 1, **_short(*accepted)}


def _gap_numeric(gap_id: str, value: float) -> dict[str, Any]:
    return {"id": gap_id, "kind": "numeric", "points": 1, "answers": _numeric(value)["answers"]}


# Introduction to Computer Science (IK 1120): the choice questions of both topics as a Kazakh-format file, as a
# teacher would bring them from Platonus (<question2>/<question3>: medium/hard; <variantright>: the right ones).
IK_TOPICS = ("Ақпарат және оны өлшеу", "Алгоритмдер және олардың қасиеттері")
IK_IMPORT = (
    (
        IK_TOPICS[0],
        """<question>Ақпараттың ең кіші өлшем бірлігі –
<variant>бит
<variant>байт
<variant>килобайт
<variant>бод
<variant>пиксель
<question>1 байт неше биттен тұрады?
<variant>8
<variant>2
<variant>10
<variant>16
<variant>1024
<question>1 Кбайт неше байтқа тең?
<variant>1024
<variant>1000
<variant>512
<variant>100
<variant>2048
<question>Компьютерде кез келген ақпарат қандай кодпен жазылады?
<variant>екілік
<variant>ондық
<variant>сегіздік
<variant>римдік
<question>Он алтылық санау жүйесінде неше цифр (таңба) қолданылады?
<variant>16
<variant>10
<variant>8
<variant>15
<variant>2
<question>Екілік санау жүйесіндегі 101 саны ондық жүйеде неге тең?
<variant>5
<variant>3
<variant>6
<variant>101
<variant>4
<question2>32 әріптік алфавиттің бір әрпі неше бит ақпарат алып жүреді?
<variant>5
<variant>32
<variant>4
<variant>8
<variant>6
<question2>1 Мбайт неше Кбайтқа тең?
<variant>1024
<variant>1000
<variant>8
<variant>100
<question2>Төмендегілердің қайсысы ақпарат өлшем бірліктері?
<variantright>бит
<variantright>байт
<variantright>гигабайт
<variant>герц
<variant>пиксель
<question3>256 таңбалы алфавитпен жазылған, 40 жолдан, әр жолы 60 таңбадан тұратын беттің ақпараттық көлемі –
<variant>2400 байт
<variant>2400 бит
<variant>19200 байт
<variant>300 байт
<variant>2,4 Мбайт
<question3>Қайсысы үлкен: 3 Мбайт па, әлде 24 000 000 бит пе?
<variant>3 Мбайт
<variant>24 000 000 бит
<variant>екеуі тең
<variant>салыстыруға болмайды
""",
    ),
    (
        IK_TOPICS[1],
        """<question>Алгоритмнің әр қадамы бір мағыналы болуы – оның қай қасиеті?
<variant>анықтылық
<variant>дискреттілік
<variant>нәтижелілік
<variant>жалпылық
<question>Блок-сызбада шарт қандай фигурамен бейнеленеді?
<variant>ромб
<variant>тіктөртбұрыш
<variant>параллелограмм
<variant>сопақша
<variant>шеңбер
<question>Блок-сызбада енгізу мен шығару қандай фигурамен бейнеленеді?
<variant>параллелограмм
<variant>ромб
<variant>тіктөртбұрыш
<variant>үшбұрыш
<question>Алгоритмнің жеке қадамдардан тұруы – оның қай қасиеті?
<variant>дискреттілік
<variant>анықтылық
<variant>нәтижелілік
<variant>жалпылық
<question2>Алгоритмді қандай тәсілдермен сипаттауға болады?
<variantright>сөзбен
<variantright>блок-сызбамен
<variantright>псевдокодпен
<variant>тек суретпен
<variant>тек дауыспен
<question3>Евклид алгоритмі бойынша ЕҮОБ(252, 105) неге тең?
<variant>21
<variant>7
<variant>42
<variant>105
<variant>3
""",
    ),
)

IK_QUESTIONS = (
    Q(QuestionType.TRUE_FALSE, S, IK_TOPICS[0], "1 Кбайт 1000 байтқа тең.", {"answer": False}),
    Q(QuestionType.NUMERIC, M, IK_TOPICS[0], "1 Кбайт неше битке тең?", _numeric(8192, unit="бит")),
    Q(QuestionType.MATCHING, M, IK_TOPICS[0], "Өлшем бірліктерін олардың мәндерімен сәйкестендіріңіз.",
      _pairs(("1 байт", "8 бит"), ("1 Кбайт", "1024 байт"), ("1 Мбайт", "1024 Кбайт"), distractors=("1000 бит",))),
    Q(QuestionType.NUMERIC, H, IK_TOPICS[0],
      "64 таңбалы алфавитпен жазылған 100 таңбалы хабардың ақпараттық көлемі неше бит?", _numeric(600, unit="бит")),
    Q(QuestionType.ORDERING, H, IK_TOPICS[0], "Өлшем бірліктерін кішісінен бастап үлкеніне қарай орналастырыңыз.",
      _items("бит", "байт", "Кбайт", "Мбайт", "Гбайт")),
    Q(QuestionType.SHORT, M, IK_TOPICS[1],
      "Алгоритмнің шектеулі қадамнан кейін нәтиже беру қасиеті қалай аталады? (бір сөз)", _short("нәтижелілік")),
    Q(QuestionType.ORDERING, M, IK_TOPICS[1], "Есепті компьютерде шешу кезеңдерін ретімен орналастырыңыз.",
      _items("есептің қойылуы", "алгоритм құру", "бағдарлама жазу", "тестілеу және түзету")),
    Q(QuestionType.CLOZE, H, IK_TOPICS[1], "Бос орындарды толтырыңыз.",
      {"text": "Блок-сызбада әрекет {{1}} арқылы, шарт {{2}} арқылы бейнеленеді; ЕҮОБ(12, 18) = {{3}}.",
       "gaps": [_gap_choice("1", "тіктөртбұрыш", "ромб", "шеңбер"), _gap_short("2", "ромб", "ромбы"),
                _gap_numeric("3", 6)]}),
    Q(QuestionType.ESSAY, M, ESSAYS,
      "Алгоритмнің төрт қасиетін атап, әрқайсысын күнделікті өмірден алынған мысалмен түсіндіріңіз.",
      _essay(("Қасиеттердің дұрыс сипатталуы", 3), ("Мысалдардың орындылығы", 2)), points=5),
    Q(QuestionType.ESSAY, M, ESSAYS,
      "Ақпаратты өлшеудің алфавиттік тәсілін түсіндіріп, өз мысалыңызбен есептеңіз.",
      _essay(("Тәсілдің дұрыс түсіндірілуі", 3), ("Есептеудің дұрыстығы", 2)), points=5),
    # In Russian, for the Russian-language group (ИНФ-26-2Р): every type.
    Q(QuestionType.SINGLE, S, RUSSIAN, "Минимальная единица измерения информации —",
      _choice("бит", "байт", "бод", "пиксель"), language="ru"),
    Q(QuestionType.MULTIPLE, M, RUSSIAN, "Какие из перечисленных являются свойствами алгоритма?",
      _choice("дискретность", "определённость", "результативность", "цветность", "громкость", right=(0, 1, 2),
              partial="partial"), language="ru"),
    Q(QuestionType.TRUE_FALSE, S, RUSSIAN, "1 байт равен 8 битам.", {"answer": True}, language="ru"),
    Q(QuestionType.MATCHING, M, RUSSIAN, "Сопоставьте фигуры блок-схемы с их назначением.",
      _pairs(("ромб", "условие"), ("прямоугольник", "действие"), ("параллелограмм", "ввод и вывод"),
             distractors=("комментарий",)), language="ru"),
    Q(QuestionType.ORDERING, S, RUSSIAN, "Расположите единицы измерения информации по возрастанию.",
      _items("бит", "байт", "Кбайт", "Мбайт"), language="ru"),
    Q(QuestionType.SHORT, M, RUSSIAN, "Как называется способ записи чисел с помощью символов и правила их записи?",
      _short("система счисления", "системы счисления"), language="ru"),
    Q(QuestionType.NUMERIC, S, RUSSIAN, "Сколько бит содержится в 2 байтах?", _numeric(16, unit="бит"), language="ru"),
    Q(QuestionType.CLOZE, H, RUSSIAN, "Заполните пропуски.",
      {"text": "Число 1010 в двоичной системе равно {{1}} в десятичной; в шестнадцатеричной системе {{2}} цифр.",
       "gaps": [_gap_numeric("1", 10), _gap_numeric("2", 16)]}, language="ru"),
    Q(QuestionType.ESSAY, M, RUSSIAN, "Опишите алгоритм Евклида словами и покажите его работу на паре (48, 18).",
      _essay(("Описание алгоритма", 3), ("Пример", 2)), points=5, language="ru"),
)  # fmt: skip

PK_TOPICS = ("Педагог мамандығының ерекшеліктері", "Педагогтің кәсіби құзыреттілігі")
PK_QUESTIONS = (
    Q(QuestionType.SINGLE, S, PK_TOPICS[0], "Білім алушының тұлға ретінде дамуына жағдай жасайтын маман –",
      _choice("педагог", "әдіскер", "кітапханашы", "зертханашы")),
    Q(QuestionType.SINGLE, S, PK_TOPICS[1], "Өз әрекетін талдау және бағалау –",
      _choice("рефлексия", "мотивация", "эмпатия", "интеграция")),
    Q(QuestionType.SINGLE, S, PK_TOPICS[1], "Білім мен дағдыны іс жүзінде тиімді қолдану қабілеті –",
      _choice("құзыреттілік", "біліктілік санаты", "дарындылық", "тәжірибе")),
    Q(QuestionType.TRUE_FALSE, S, PK_TOPICS[1],
      "Педагог біліктілігін жоғары оқу орнын бітіргеннен кейін арттырмайды.", {"answer": False}),
    Q(QuestionType.SINGLE, S, PK_TOPICS[1], "Педагогтің кәсіби құзыреттілігінің құрамына кірмейтіні –",
      _choice("спорттық құзырет", "пәндік құзырет", "әдістемелік құзырет", "коммуникативтік құзырет")),
    Q(QuestionType.SHORT, S, PK_TOPICS[1],
      "Тәжірибелі педагогтің жас маманға кәсіби қолдау көрсетуі қалай аталады? (бір сөз)", _short("тәлімгерлік")),
    Q(QuestionType.SINGLE, S, PK_TOPICS[0], "Қазақстанда педагогтің құқықтары мен кепілдіктерін айқындайтын заң –",
      _choice("«Педагог мәртебесі туралы» Заң", "«Тұрғын үй қатынастары туралы» Заң", "Салық кодексі",
              "«Жол жүрісі туралы» Заң")),
    Q(QuestionType.MULTIPLE, M, PK_TOPICS[0], "Педагог қызметі қандай міндеттерді біріктіреді?",
      _choice("оқыту", "тәрбиелеу", "дамыту", "емдеу", "сауда", right=(0, 1, 2), partial="partial")),
    Q(QuestionType.MATCHING, M, PK_TOPICS[0], "Педагогтің функцияларын олардың мазмұнымен сәйкестендіріңіз.",
      _pairs(("оқыту", "білім мен білік қалыптастыру"), ("тәрбиелеу", "құндылықтар мен мінез-құлықты қалыптастыру"),
             ("зерттеу", "педагогикалық тәжірибені талдау және жетілдіру"), distractors=("оқу ақысын есептеу",))),
    Q(QuestionType.ORDERING, M, PK_TOPICS[1], "Кәсіби даму жоспарының кезеңдерін ретімен орналастырыңыз.",
      _items("мақсат қою", "әрекеттерді жоспарлау", "жоспарды орындау", "нәтижені бағалау және рефлексия")),
    Q(QuestionType.CLOZE, M, PK_TOPICS[1], "Бос орындарды толтырыңыз.",
      {"text": "Кәсіби құзыреттілік {{1}}, психологиялық-педагогикалық, {{2}}, коммуникативтік және цифрлық "
               "құзыреттерден тұрады.",
       "gaps": [_gap_choice("1", "пәндік", "спорттық", "медициналық"), _gap_short("2", "әдістемелік")]}),
    Q(QuestionType.NUMERIC, H, PK_TOPICS[1],
      "Педагог біліктілігін арттыру курстарынан кемінде неше жылда бір рет өтеді?", _numeric(5)),
    Q(QuestionType.MULTIPLE, H, PK_TOPICS[1], "Педагогтің рефлексия тәсілдеріне жататындар:",
      _choice("өзін-өзі бағалау парағы", "педагогикалық күнделік", "әріптестің сабаққа қатысуынан кейінгі талдау",
              "тек емтихан бағасы", right=(0, 1, 2), partial="partial")),
    Q(QuestionType.SINGLE, H, PK_TOPICS[1], "Педагогтің цифрлық құзыреттілігін ең толық көрсететін әрекет –",
      _choice("қашықтықтан оқыту платформасында курс құрып, білім алушылардың нәтижелерін талдау",
              "сабақта презентацияны бір рет көрсету", "электрондық поштаны тексеру", "құжатты басып шығару")),
    Q(QuestionType.ESSAY, M, ESSAYS,
      "Педагог мамандығын таңдау себебіңізді және өзіңізде дамытқыңыз келетін үш кәсіби құзыретті негіздеңіз.",
      _essay(("Дәлелдің негізділігі", 3), ("Құзыреттердің нақтылығы", 2)), points=5),
    Q(QuestionType.SINGLE, S, RUSSIAN, "Специалист, создающий условия для развития личности обучающегося, —",
      _choice("педагог", "методист", "библиотекарь", "лаборант"), language="ru"),
    Q(QuestionType.TRUE_FALSE, S, RUSSIAN, "Рефлексия — это анализ и оценка собственной деятельности.",
      {"answer": True}, language="ru"),
    Q(QuestionType.SHORT, S, RUSSIAN,
      "Как называется профессиональная поддержка молодого педагога опытным коллегой? (одно слово)",
      _short("наставничество"), language="ru"),
    Q(QuestionType.ESSAY, M, RUSSIAN, "Опишите профессиональный портрет педагога, который стал для вас примером.",
      _essay(("Содержание", 3), ("Язык и структура", 2)), points=5, language="ru"),
)  # fmt: skip


def _glossary_questions(text: texts.CourseText) -> tuple[Q, ...]:
    """Which term is meant (one per term of the course's glossary), a matching of every term, an essay."""
    topic = text.topics[0].title.kk
    terms = list(text.glossary)
    made = []
    for term, meaning in terms:
        others = [t for t, _m in terms if t != term]
        made.append(
            Q(QuestionType.SINGLE, S, topic, f"Қай ұғымның анықтамасы: «{meaning}»", _choice(term, *others[:3]))
        )
    made.append(
        Q(QuestionType.MATCHING, M, topic, "Терминдерді олардың анықтамаларымен сәйкестендіріңіз.",
          _pairs(*[(t, m) for t, m in terms]))
    )  # fmt: skip
    made.append(
        Q(QuestionType.ESSAY, M, ESSAYS, f"«{topic}» тақырыбының негізгі ұғымдарын мысалдармен түсіндіріңіз.",
          _essay(("Мазмұны", 3), ("Мысалдар", 2)), points=5)
    )  # fmt: skip
    return tuple(made)


# --- Banks ---------------------------------------------------------------------------------------------------------


def _bank(*, course: Course, actor: Any, questions: tuple[Q, ...], imports: tuple[tuple[str, str], ...] = ()) -> Bank:
    discipline = course.discipline
    name = _bank_name(discipline.name_kk)
    bank = Bank.objects.filter(discipline=discipline, name=name).first()
    if bank is not None:
        return bank
    bank = bank_services.bank_create(
        actor=actor,
        discipline_id=discipline.pk,
        name=name,
        description=f"{discipline.code} пәнінің аралық бақылауы мен емтиханына арналған тест тапсырмалары.",
    )
    for n, (topic, content) in enumerate(imports, start=1):
        preview = import_services.import_prepare(
            actor=actor,
            bank=bank,
            filename=f"{discipline.code.replace(' ', '')}-{n}.txt",
            content=content.encode(),
            fmt="kazakh",
            difficulty_tags=True,
            category=topic,
        )
        import_services.import_confirm(actor=actor, bank=bank, token=preview.token)
    for q in questions:
        bank_services.question_create(
            actor=actor,
            bank=bank,
            qtype=q.qtype,
            stem=q.stem,
            data=q.data,
            category_path=q.topic,
            difficulty=q.difficulty,
            points=q.points,
            language=q.language,
            feedback=q.feedback,
        )
    return bank


# --- Tests ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Blueprint:
    simple: int
    medium: int
    hard: int
    essays: int = 1


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=ZONE)


def _window() -> tuple[datetime, datetime]:
    """Open from a week before the day of seeding, for three weeks."""
    today = timezone.localdate(timezone.now(), ZONE)
    return _at(today - timedelta(days=7), 9), _at(today + timedelta(days=14), 18)


def _test(*, item: Item, bank: Bank, actor: Any, topics: tuple[str, ...], blueprint: Blueprint) -> Test:
    test = test_services.test_for_item(item_id=item.pk, actor=actor)
    if test.rules.exists():
        return test
    opens_at, closes_at = _window()
    test = test_services.test_update(
        test=test,
        actor=actor,
        instructions=(
            "<p>Тест 1-аралық бақылау тақырыптары бойынша. Уақыты – 40 минут, екі талпыныс беріледі, ең жоғары "
            "нәтиже есептеледі. Жауаптар бірден сақталады; байланыс үзілсе, бетті жаңартыңыз – ештеңе "
            "жоғалмайды.</p>"
        ),
        opens_at=opens_at,
        closes_at=closes_at,
        time_limit_minutes=40,
        attempts_allowed=2,
        grading_method=GradingMethod.HIGHEST,
        review_when=ReviewWhen.AFTER_SUBMIT,
        review_score=True,
        review_responses=True,
        review_correct=False,
        review_feedback=True,
        pass_percent=50,
    )
    topic_ids = list(Category.objects.filter(bank=bank, path__in=topics).values_list("pk", flat=True))
    essay_ids = list(Category.objects.filter(bank=bank, path=ESSAYS).values_list("pk", flat=True))
    for difficulty, count in ((S, blueprint.simple), (M, blueprint.medium), (H, blueprint.hard)):
        test_services.blueprint_rule_add(
            test=test, actor=actor, bank_id=bank.pk, category_ids=topic_ids, difficulty=difficulty, count=count
        )
    test_services.blueprint_rule_add(
        test=test, actor=actor, bank_id=bank.pk, category_ids=essay_ids, count=blueprint.essays, points=Decimal(5)
    )
    return test


# --- Attempts ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Taken:
    """An attempt of a student: how many of its closed questions they answer rightly (the first ones), the
    rubric points the grader gives its essay (None: awaiting grading), or still in progress."""

    username: str
    right: int
    essay: str = ""
    rubric: tuple[int, int] | None = None
    feedback: str = ""
    in_progress: bool = False
    days_ago: int = 2


ESSAY_GOOD = (
    "Алгоритмнің төрт қасиеті бар. Дискреттілік – алгоритм жеке қадамдардан тұрады: мысалы, шай демдеу "
    "рецептінде әр әрекет бөлек жазылады. Анықтылық – әр қадам бір мағыналы, орындаушы не істеу керектігін нақты "
    "біледі. Нәтижелілік – шектеулі қадамнан кейін нәтиже алынады: шай дайын болады. Жалпылық – бір алгоритм бір "
    "типті есептердің бәрін шешеді: кез келген екі санның ЕҮОБ-ын Евклид алгоритмімен табуға болады."
)
ESSAY_SHORT = (
    "Алгоритм қадамдардан тұрады және нәтиже береді. Мысалы, сабаққа бару жолы да алгоритм, себебі біз әр "
    "күні бірдей әрекеттерді орындаймыз."
)
ESSAY_UNITS = (
    "Алфавиттік тәсіл бойынша N таңбалы алфавиттің бір таңбасы i = log2 N бит ақпарат береді. Мысалы, 64 "
    "таңбалы алфавитте бір таңба 6 бит алып жүреді, сондықтан 100 таңбалы хабар 600 бит, яғни 75 байт болады."
)

IK_ATTEMPTS = (
    Taken("student03", 17, ESSAY_GOOD, (3, 2), "Қасиеттер толық, мысалдар орынды. Жарайсыз!"),
    Taken("student04", 8, ESSAY_SHORT, (1, 1), "Тек екі қасиет аталған; мысалды нақтылаңыз.", days_ago=3),
    Taken("student04", 14, ESSAY_UNITS, (3, 1), "Есептеу дұрыс, тәсілдің атауын толық жазыңыз."),
    Taken("student05", 15, ESSAY_GOOD),  # the essay awaits the tutor's grading
    Taken("student07", 6, ESSAY_SHORT, (1, 0), "Қасиеттердің анықтамаларын қайталаңыз."),
    Taken("student06", 5, in_progress=True),
)
ACCOMMODATION = ("student02", 50, "Мүгедектігі туралы анықтама (disability certificate)")


def _wrong_answer(qtype: str, data: dict[str, Any]) -> Any:
    """An answer that earns nothing (None: left unanswered)."""
    if qtype == QuestionType.SINGLE:
        wrong = next((o["id"] for o in data.get("options", []) if float(o.get("fraction", 0)) <= 0), None)
        return {"choice": wrong} if wrong else None
    if qtype == QuestionType.TRUE_FALSE:
        return {"value": not bool(data.get("answer"))}
    if qtype == QuestionType.SHORT:
        return {"text": "білмеймін"}
    return None


def _take(test: Test, course: Course, teacher: Any, taken: Taken, serial: int) -> None:
    User = get_user_model()
    user = User.objects.get(username=taken.username)
    enrolment = Enrolment.objects.get(course=course, student__user=user, active=True)
    if taken.in_progress:
        started = timezone.now() - timedelta(minutes=8)
    else:
        day = timezone.localdate(timezone.now(), ZONE) - timedelta(days=taken.days_ago)
        started = _at(day, 10, 7 * serial)
    attempt = attempt_services.attempt_start(
        test=test,
        user=user,
        student_id=enrolment.student_id,
        enrolment_id=enrolment.pk,
        ip=IP,
        user_agent=BROWSER,
        now=started,
    )
    slots = list(AttemptQuestion.objects.filter(attempt=attempt).select_related("version").order_by("position"))
    closed = 0
    for n, slot in enumerate(slots, start=1):
        data = slot.version.data
        if slot.type == QuestionType.ESSAY:
            answer = {"text": taken.essay} if taken.essay else None
        else:
            closed += 1
            if taken.in_progress and closed > taken.right:
                break
            answer = right_answer(slot.type, data) if closed <= taken.right else _wrong_answer(slot.type, data)
        if answer is None:
            continue
        attempt_services.answer_save(
            attempt_id=attempt.pk,
            user_id=user.pk,
            position=slot.position,
            seq=1,
            answer=answer,
            now=started + timedelta(seconds=60 * n),
        )
    if taken.in_progress:
        return
    attempt = attempt_services.attempt_submit(attempt=attempt, actor=user, now=started + timedelta(minutes=31))
    attempt_services.attempt_publish(attempt_id=attempt.pk)  # now, not after the seeding's commit
    if taken.rubric is None:
        return
    essay = next(s for s in slots if s.type == QuestionType.ESSAY)
    essay.attempt = Attempt.objects.select_related("test", "student").get(pk=attempt.pk)
    grading_services.question_grade(
        actor=teacher,
        attempt_question=essay,
        rubric_scores={str(i): points for i, points in enumerate(taken.rubric)},
        feedback=taken.feedback,
    )


def _attempts(test: Test, course: Course, teacher: Any) -> None:
    if Attempt.objects.filter(test=test).exists():
        return
    for serial, taken in enumerate(IK_ATTEMPTS):
        _take(test, course, teacher, taken, serial)
    username, percent, reason = ACCOMMODATION
    student = Enrolment.objects.get(course=course, student__user__username=username, active=True).student
    test_services.accommodation_set(
        test=test, actor=teacher, student_id=student.pk, extra_time_percent=percent, reason=reason
    )


# --- All of it -----------------------------------------------------------------------------------------------------


def assessment_seed() -> None:
    """Build whatever part of the demo's testing is missing (the learning content must exist already)."""
    User = get_user_model()
    teachers = {u.username: u for u in User.objects.filter(username__in=("teacher1", "teacher3"))}
    courses = {
        c.discipline.code: c
        for c in Course.objects.filter(code__endswith=COURSE_CODE_SUFFIX).select_related("discipline")
        if Item.objects.filter(course=c, kind="test").exists()
    }
    if not courses or len(teachers) < 2:
        return
    by_code = {t.discipline: t for t in texts.COURSE_TEXTS}
    for code, course in sorted(courses.items()):
        teacher = course.staff.filter(role="teacher").select_related("user").order_by("user__username").first()
        if teacher is None:
            continue
        if code == "IK 1120":
            bank = _bank(course=course, actor=teachers["teacher3"], questions=IK_QUESTIONS, imports=IK_IMPORT)
            item = _midterm(course)
            test = _test(item=item, bank=bank, actor=teachers["teacher3"], topics=IK_TOPICS,
                         blueprint=Blueprint(10, 5, 4))  # fmt: skip
            _attempts(test, course, teachers["teacher3"])
        elif code == "PK 1160":
            bank = _bank(course=course, actor=teachers["teacher1"], questions=PK_QUESTIONS)
            _test(item=_midterm(course), bank=bank, actor=teachers["teacher1"], topics=PK_TOPICS,
                  blueprint=Blueprint(6, 3, 2))  # fmt: skip
        elif code in by_code:
            _bank(course=course, actor=teacher.user, questions=_glossary_questions(by_code[code]))


def _midterm(course: Course) -> Item:
    return Item.objects.get(course=course, kind="test", name_kk=texts.MIDTERM_1.kk)
