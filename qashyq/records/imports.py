"""Reading a student list from CSV or XLSX, and the template to fill in (no database here).

A file has one header row of stable English keys (COLUMNS) and one student per row below it. CSV files
are UTF-8 (with or without a byte-order mark) separated by ";" or ","; XLSX files are read with openpyxl
in read-only mode from the sheet named "students", else the first sheet. Limits: MAX_BYTES per file,
MAX_ROWS students, MAX_UNZIPPED_BYTES for the unpacked XLSX (a zip bomb is refused before parsing).
Row numbers are the spreadsheet's: the header is row 1, the first student row 2.
"""

import csv
import io
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils.exceptions import InvalidFileException

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 20_000
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024
SHEET_NAME = "students"
FORMATS = ("csv", "xlsx")


@dataclass(frozen=True)
class Column:
    key: str
    required: bool
    label: str | Promise  # translated, for the preview table
    help_kk: str
    help_ru: str
    help_en: str
    example: str


COLUMNS: tuple[Column, ...] = (
    Column("iin", True, gettext_lazy("IIN"), "ЖСН, 12 цифр", "ИИН, 12 цифр", "IIN, 12 digits", "050315600121"),
    Column("last_name", True, gettext_lazy("last name"), "Тегі", "Фамилия", "Last name", "Сейітова"),
    Column("first_name", True, gettext_lazy("first name"), "Аты", "Имя", "First name", "Айгерім"),
    Column("patronymic", False, gettext_lazy("patronymic"), "Әкесінің аты", "Отчество", "Patronymic", "Қайратқызы"),
    Column(
        "name_latin",
        False,
        gettext_lazy("name in Latin letters"),
        "Латын әрпімен аты-жөні; бос болса, 2021 әліпбиімен жазылады",
        "ФИО латиницей; если пусто, транслитерируется по алфавиту 2021 года",
        "Name in Latin letters; when empty, transliterated by the 2021 Kazakh Latin alphabet",
        "",
    ),
    Column(
        "birth_date",
        True,
        gettext_lazy("birth date"),
        "Туған күні: КК.АА.ЖЖЖЖ немесе ЖЖЖЖ-АА-КК; ЖСН-мен сәйкес болуы керек",
        "Дата рождения: ДД.ММ.ГГГГ или ГГГГ-ММ-ДД; должна совпадать с ИИН",
        "Birth date: DD.MM.YYYY or YYYY-MM-DD; must agree with the IIN",
        "15.03.2005",
    ),
    Column(
        "sex",
        True,
        gettext_lazy("sex"),
        "male (ер) немесе female (әйел); ЖСН-мен сәйкес",
        "male (муж.) или female (жен.); должен совпадать с ИИН",
        "male or female; must agree with the IIN",
        "female",
    ),
    Column(
        "citizenship",
        False,
        gettext_lazy("citizenship"),
        "Азаматтығы, елдің екі әріпті коды (ISO 3166); бос болса KZ",
        "Гражданство, двухбуквенный код страны (ISO 3166); если пусто — KZ",
        "Citizenship, two-letter country code (ISO 3166); KZ when empty",
        "KZ",
    ),
    Column("phone", False, gettext_lazy("phone"), "Телефон", "Телефон", "Phone", "+7 701 000 00 00"),
    Column("email", False, gettext_lazy("e-mail"), "Электрондық пошта", "Электронная почта", "E-mail", ""),
    Column("address", False, gettext_lazy("address"), "Мекенжайы", "Адрес", "Address", "Алматы қ."),
    Column(
        "programme",
        True,
        gettext_lazy("programme"),
        "Білім беру бағдарламасының коды",
        "Код образовательной программы",
        "Code of the educational programme",
        "6B01101",
    ),
    Column(
        "group",
        False,
        gettext_lazy("group"),
        "Топтың коды; топ осы бағдарламаныкі болуы керек",
        "Код группы; группа должна относиться к этой программе",
        "Code of the study group; the group must belong to the programme",
        "",
    ),
    Column(
        "form_of_study",
        True,
        gettext_lazy("form of study"),
        "full_time (күндізгі), part_time (кешкі), correspondence (сырттай)",
        "full_time (очная), part_time (очно-заочная), correspondence (заочная)",
        "full_time, part_time or correspondence; the programme must offer it",
        "full_time",
    ),
    Column(
        "language",
        True,
        gettext_lazy("language of instruction"),
        "Оқыту тілі: kk, ru немесе en",
        "Язык обучения: kk, ru или en",
        "Language of instruction: kk, ru or en",
        "kk",
    ),
    Column(
        "funding",
        True,
        gettext_lazy("funding"),
        "state_grant (мемлекеттік грант), paid (ақылы), employer (жұмыс беруші)",
        "state_grant (госгрант), paid (платно), employer (за счёт работодателя)",
        "state_grant, paid or employer",
        "state_grant",
    ),
    Column(
        "bolashak",
        False,
        gettext_lazy("Bolashak scholar"),
        "«Болашақ» стипендиаты: yes немесе no (бос болса no)",
        "Стипендиат «Болашак»: yes или no (если пусто — no)",
        "Bolashak scholar: yes or no (no when empty)",
        "no",
    ),
    Column(
        "disability",
        False,
        gettext_lazy("disability"),
        "Мүгедектігі (құпия): бос, group_1, group_2, group_3, since_childhood, temporary",
        "Инвалидность (конфиденциально): пусто, group_1, group_2, group_3, since_childhood, temporary",
        "Disability (confidential): empty, group_1, group_2, group_3, since_childhood, temporary",
        "",
    ),
    Column(
        "course_year",
        False,
        gettext_lazy("course year"),
        "Курс, 1-ден 8-ге дейін (бос болса 1)",
        "Курс, от 1 до 8 (если пусто — 1)",
        "Course year, 1 to 8 (1 when empty)",
        "1",
    ),
)
COLUMN_KEYS: tuple[str, ...] = tuple(c.key for c in COLUMNS)
REQUIRED_KEYS: tuple[str, ...] = tuple(c.key for c in COLUMNS if c.required)
COLUMN_LABELS: dict[str, str | Promise] = {c.key: c.label for c in COLUMNS}


@dataclass
class Sheet:
    """The rows of an uploaded file: (row number in the spreadsheet, {column key: text})."""

    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)


def _file_error(message: str) -> ValidationError:
    return ValidationError({"file": message})


def file_format(name: str) -> str:
    suffix = PurePath(name).suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise _file_error(
            _("“%(name)s” is neither a .csv nor an .xlsx file: download the template and fill it in.") % {"name": name}
        )
    return suffix


def read_sheet(*, name: str, data: bytes) -> Sheet:
    """Parse an uploaded CSV or XLSX file; raise ValidationError({"file": ...}) when it cannot be read."""
    kind = file_format(name)
    if len(data) > MAX_BYTES:
        raise _file_error(
            _("The file is larger than %(size)s MB: split it into smaller files.")
            % {"size": MAX_BYTES // (1024 * 1024)}
        )
    if not data:
        raise _file_error(_("The file is empty."))
    return _read_csv(data) if kind == "csv" else _read_xlsx(data)


def _header(cells: list[str], *, where: str) -> list[str]:
    header = [c.strip().lower() for c in cells]
    missing = [key for key in REQUIRED_KEYS if key not in header]
    if missing:
        raise _file_error(
            _(
                "%(where)s has no header row with the columns %(missing)s: the first row must hold the column "
                "names of the template."
            )
            % {"where": where, "missing": ", ".join(missing)}
        )
    unknown = [h for h in header if h and h not in COLUMN_KEYS]
    if unknown:
        raise _file_error(
            _("Unknown columns: %(unknown)s. The columns are: %(known)s.")
            % {"unknown": ", ".join(unknown), "known": ", ".join(COLUMN_KEYS)}
        )
    repeated = sorted({h for h in header if h and header.count(h) > 1})
    if repeated:
        raise _file_error(_("Columns named twice: %(columns)s.") % {"columns": ", ".join(repeated)})
    return header


def _add_row(sheet: Sheet, header: list[str], number: int, values: list[str]) -> None:
    if not any(values):
        return  # blank rows are skipped, their numbers kept
    if len(sheet.rows) >= MAX_ROWS:
        raise _file_error(
            ngettext(
                "The file has more than %(max)d student row: split it into smaller files.",
                "The file has more than %(max)d student rows: split it into smaller files.",
                MAX_ROWS,
            )
            % {"max": MAX_ROWS}
        )
    extra = [v for v in values[len(header) :] if v]
    if extra:
        raise _file_error(_("Row %(row)d has more cells than the header row has columns.") % {"row": number})
    row = {key: (values[i] if i < len(values) else "") for i, key in enumerate(header) if key}
    sheet.rows.append((number, row))


def _read_csv(data: bytes) -> Sheet:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _file_error(
            _("The CSV file is not in UTF-8: save it as “CSV UTF-8” (or use the XLSX template).")
        ) from None
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    sheet = Sheet()
    header: list[str] | None = None
    try:
        for values in reader:
            cells = [v.strip() for v in values]
            if header is None:
                if not any(cells):
                    continue
                header = _header(cells, where=_("The CSV file"))
                continue
            _add_row(sheet, header, reader.line_num, cells)
    except csv.Error as error:
        raise _file_error(
            _("The CSV file cannot be read near line %(line)d: %(error)s") % {"line": reader.line_num, "error": error}
        ) from None
    if header is None:
        raise _file_error(_("The file is empty."))
    return sheet


def _cell_text(value: object, key: str) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and key == "iin":
        return f"{value:012d}"  # an IIN typed as a number loses its leading zero (born 2000-2009)
    return str(value).strip()


def _read_xlsx(data: bytes) -> Sheet:
    buffer = io.BytesIO(data)
    not_xlsx = _("The file is not a valid XLSX workbook: open it in a spreadsheet program and save it as .xlsx.")
    if not zipfile.is_zipfile(buffer):
        raise _file_error(not_xlsx)
    try:
        with zipfile.ZipFile(buffer) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError):
        raise _file_error(not_xlsx) from None
    if unpacked > MAX_UNZIPPED_BYTES:
        raise _file_error(_("The workbook unpacks to more than %(size)d MB.") % {"size": MAX_UNZIPPED_BYTES >> 20})
    buffer.seek(0)
    try:
        workbook = load_workbook(buffer, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise _file_error(not_xlsx) from None
    try:
        if not workbook.worksheets:
            raise _file_error(not_xlsx)
        worksheet = workbook[SHEET_NAME] if SHEET_NAME in workbook.sheetnames else workbook.worksheets[0]
        where = _("The sheet “%(sheet)s”") % {"sheet": worksheet.title}
        sheet = Sheet()
        header: list[str] | None = None
        for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1):
            if header is None:
                cells = [_cell_text(v, "") for v in values]
                if not any(cells):
                    continue
                header = _header(cells, where=where)
                continue
            cells = [_cell_text(v, header[i] if i < len(header) else "") for i, v in enumerate(values)]
            _add_row(sheet, header, number, cells)
        if header is None:
            raise _file_error(
                _("%(where)s is empty: put the students on the sheet “%(name)s” of the template.")
                % {"where": where, "name": SHEET_NAME}
            )
        return sheet
    except (KeyError, ValueError, TypeError, zipfile.BadZipFile):
        raise _file_error(not_xlsx) from None
    finally:
        workbook.close()


def template_xlsx() -> bytes:
    """The workbook to fill in: sheet "students" with the header and one example row, and a sheet
    "columns" explaining each column in Kazakh, Russian and English."""
    workbook = Workbook()
    students = workbook.active
    assert students is not None
    students.title = SHEET_NAME
    students.append(list(COLUMN_KEYS))
    students.append([c.example for c in COLUMNS])
    bold = Font(bold=True)
    for cell in students[1]:
        cell.font = bold
    for cell in students["A"]:
        cell.number_format = "@"  # the IIN is text: a number would lose a leading zero
    for i, column in enumerate(COLUMNS, start=1):
        students.column_dimensions[students.cell(row=1, column=i).column_letter].width = max(14, len(column.key) + 4)
    guide = workbook.create_sheet("columns")
    guide.append(["column", "required", "қазақша", "по-русски", "in English"])
    for cell in guide[1]:
        cell.font = bold
    for column in COLUMNS:
        guide.append([column.key, "yes" if column.required else "no", column.help_kk, column.help_ru, column.help_en])
    for letter, width in zip("ABCDE", (16, 10, 60, 60, 60), strict=True):
        guide.column_dimensions[letter].width = width
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
