"""What every question format reads into and writes from."""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any


@dataclass
class ParsedImage:
    """An image a question refers to. The stem (or an option text) holds `<img src="image:{name}">` until the
    import stores the file and rewrites the address."""

    name: str
    content: bytes
    content_type: str


@dataclass
class ParsedQuestion:
    """One question as a file gives it. `data` has the shape of `QuestionVersion.data` for `type`
    (qashyq/assessment/rules/__init__.py). `line` is where it starts in the file (1-based)."""

    type: str
    stem: str
    data: dict[str, Any]
    line: int
    name: str = ""
    difficulty: int = 1
    category: str = ""  # topic path, "a/b"
    points: Decimal = Decimal(1)
    feedback: str = ""
    language: str = ""  # "" when the file does not say
    images: list[ParsedImage] = field(default_factory=list)


@dataclass(frozen=True)
class Problem:
    """Something wrong in a file: which file, which line (0 when the file as a whole), and why (translated)."""

    file: str
    line: int
    reason: str


@dataclass
class ParseResult:
    questions: list[ParsedQuestion] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)  # shown, but do not stop the import

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class ExportQuestion:
    """A bank's question for a writer: its current version's content and where it sits."""

    id: int
    type: str
    name: str
    stem: str
    data: dict[str, Any]
    difficulty: int
    category: str
    points: Decimal
    feedback: str
    language: str
    images: tuple[ParsedImage, ...] = ()
