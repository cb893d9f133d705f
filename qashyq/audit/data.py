from dataclasses import dataclass


@dataclass(frozen=True)
class ChainBreak:
    event_id: int | None
    seq: int
    problem: str


@dataclass(frozen=True)
class VerifyResult:
    events_checked: int
    first_break: ChainBreak | None

    @property
    def ok(self) -> bool:
        return self.first_break is None
