"""What other apps receive from documents: plain frozen data, never the model."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

# Unambiguous when read aloud or typed from paper: no 0/O, 1/I/L.
VERIFICATION_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
VERIFICATION_CODE_LENGTH = 12

# Largest copy the public verification page accepts for comparison.
VERIFY_UPLOAD_MAX_BYTES = 20 * 1024 * 1024

# `check(user, target_id) -> bool`: may this user download documents issued for this target?
AccessCheck = Callable[[Any, str], bool]


@dataclass(frozen=True)
class DocumentData:
    id: int
    verification_code: str
    sha256: str
    title: str
    number: str
    issued_on: date
    language: str
    url: str  # the private download URL (opens only after the target's access check)
    issued_at: datetime | None = None  # when it was made (a document issued later supersedes it)
