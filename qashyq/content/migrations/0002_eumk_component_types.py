"""The components an e-UMK holds by default (rule 17); the didactic-means service may change the list."""

from django.db import migrations

DEFAULTS = [
    ("syllabus", "Силлабус", "Силлабус", "Syllabus"),
    ("lectures", "Дәріс материалдары", "Лекционные материалы", "Lecture materials"),
    (
        "practical",
        "Практикалық және зертханалық тапсырмалар",
        "Практические и лабораторные задания",
        "Practical and laboratory tasks",
    ),
    ("independent", "Өзіндік жұмыс тапсырмалары", "Задания для самостоятельной работы", "Independent-work tasks"),
    ("control", "Бақылау материалдары мен тесттер", "Контрольные материалы и тесты", "Control materials and tests"),
    ("glossary", "Глоссарий", "Глоссарий", "Glossary"),
    ("literature", "Әдебиеттер тізімі", "Список литературы", "Literature"),
]


def add(apps, schema_editor):
    component_type = apps.get_model("content", "EumkComponentType")
    for position, (code, kk, ru, en) in enumerate(DEFAULTS, start=1):
        component_type.objects.get_or_create(
            code=code, defaults={"name_kk": kk, "name_ru": ru, "name_en": en, "position": position, "required": True}
        )


def remove(apps, schema_editor):
    apps.get_model("content", "EumkComponentType").objects.filter(code__in=[d[0] for d in DEFAULTS]).delete()


class Migration(migrations.Migration):
    dependencies = [("content", "0001_initial")]
    operations = [migrations.RunPython(add, remove)]
