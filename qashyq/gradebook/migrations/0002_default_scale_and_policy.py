"""The current letter point-rating scale (kazakhstan-facts §a: FX 25–49 and F 0–24, as in the edition of the
credit-technology rules by Order No. 563 of 12.10.2018) and a grading policy with the model's defaults, both in
force from 2018-10-12. The institution may add later versions; older results keep theirs."""

import datetime

from django.db import migrations

VALID_FROM = datetime.date(2018, 10, 12)
TITLE = "№ 563, 12.10.2018"

EXCELLENT = ("Өте жақсы", "Отлично", "Excellent")
GOOD = ("Жақсы", "Хорошо", "Good")
SATISFACTORY = ("Қанағаттанарлық", "Удовлетворительно", "Satisfactory")
UNSATISFACTORY = ("Қанағаттанарлықсыз", "Неудовлетворительно", "Unsatisfactory")

# letter, from, to (whole points), digital equivalent, traditional grade, positive
BANDS = [
    ("A", 95, 100, "4.00", EXCELLENT, True),
    ("A-", 90, 94, "3.67", EXCELLENT, True),
    ("B+", 85, 89, "3.33", GOOD, True),
    ("B", 80, 84, "3.00", GOOD, True),
    ("B-", 75, 79, "2.67", GOOD, True),
    ("C+", 70, 74, "2.33", GOOD, True),
    ("C", 65, 69, "2.00", SATISFACTORY, True),
    ("C-", 60, 64, "1.67", SATISFACTORY, True),
    ("D+", 55, 59, "1.33", SATISFACTORY, True),
    ("D", 50, 54, "1.00", SATISFACTORY, True),
    ("FX", 25, 49, "0.50", UNSATISFACTORY, False),
    ("F", 0, 24, "0.00", UNSATISFACTORY, False),
]


def add(apps, schema_editor):
    scale_model = apps.get_model("gradebook", "GradeScale")
    band_model = apps.get_model("gradebook", "GradeBand")
    policy_model = apps.get_model("gradebook", "GradingPolicy")
    scale, created = scale_model.objects.get_or_create(valid_from=VALID_FROM, defaults={"title": TITLE})
    if created:
        band_model.objects.bulk_create(
            band_model(
                scale=scale,
                letter=letter,
                min_points=low,
                max_points=high,
                gpa=gpa,
                traditional_kk=kk,
                traditional_ru=ru,
                traditional_en=en,
                passing=passing,
            )
            for letter, low, high, gpa, (kk, ru, en), passing in BANDS
        )
    policy_model.objects.get_or_create(valid_from=VALID_FROM, defaults={"scale": scale})


def remove(apps, schema_editor):
    apps.get_model("gradebook", "GradingPolicy").objects.filter(valid_from=VALID_FROM).delete()
    apps.get_model("gradebook", "GradeScale").objects.filter(valid_from=VALID_FROM).delete()


class Migration(migrations.Migration):
    dependencies = [("gradebook", "0001_initial")]
    operations = [migrations.RunPython(add, remove)]
