"""After an exam-day run: is every acknowledged answer stored, and is every attempt finished?

    .venv/bin/python benchmarks/exam_day/verify.py --acks RESULTS/acks.jsonl --world RESULTS/world.json \
        [--exams RESULTS/exams.jsonl] [--in-progress-ok]

Reads the acknowledged saves written by locustfile.py (one JSON line each: attempt, position, seq, answer) and
checks, in the database of DATABASE_URL (run it with benchmarks/prod_env.sh's environment, as run.sh does), that
for each (attempt, position) the stored `seq` is the highest acknowledged one or later, and that when it is the
same the stored answer is the acknowledged answer. A save the server acknowledged and then lost is a LOST answer.
Then every attempt of the test must be finished (not in progress) unless --in-progress-ok (saturation mode).
Exit status 0 only when nothing is lost and every attempt is finished.
"""

import argparse
import json
import os
import sys
from collections import Counter
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--acks", type=Path, required=True)
    parser.add_argument("--world", type=Path, required=True)
    parser.add_argument("--exams", type=Path)
    parser.add_argument("--in-progress-ok", action="store_true")
    args = parser.parse_args()

    sys.path.insert(0, str(BASE_DIR))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from qashyq.assessment.models import Attempt, AttemptQuestion

    world = json.loads(args.world.read_text())
    acked: dict[tuple[int, int], tuple[int, object]] = {}
    count = 0
    if args.acks.exists():
        for line in args.acks.read_text().splitlines():
            if not line.strip():
                continue
            ack = json.loads(line)
            count += 1
            key = (ack["attempt"], ack["position"])
            if key not in acked or ack["seq"] > acked[key][0]:
                acked[key] = (ack["seq"], ack["answer"])

    stored = {
        (a, p): (seq, answer)
        for a, p, seq, answer in AttemptQuestion.objects.filter(attempt__test_id=world["test_id"]).values_list(
            "attempt_id", "position", "seq", "answer"
        )
    }
    lost, changed = [], []
    for key, (seq, answer) in sorted(acked.items()):
        have = stored.get(key)
        if have is None or have[0] < seq:
            lost.append((key, seq, have))
        elif have[0] == seq and have[1] != answer:
            changed.append((key, seq, answer, have[1]))

    statuses = Counter(Attempt.objects.filter(test_id=world["test_id"]).values_list("status", flat=True))
    attempts = sum(statuses.values())
    unfinished = statuses.get("in_progress", 0)
    print(f"Acknowledged saves: {count} ({len(acked)} distinct questions of {len({k[0] for k in acked})} attempts)")
    print(f"Lost answers (acknowledged, not stored or older stored): {len(lost)}")
    print(f"Different answer stored under an acknowledged seq: {len(changed)}")
    for key, seq, have in lost[:10]:
        print(f"  LOST attempt {key[0]} position {key[1]}: acknowledged seq {seq}, stored {have}")
    for key, seq, answer, have in changed[:10]:
        print(f"  CHANGED attempt {key[0]} position {key[1]} seq {seq}: acknowledged {answer}, stored {have}")
    print(
        f"Attempts of test {world['test_id']}: {attempts} " + ", ".join(f"{k} {v}" for k, v in sorted(statuses.items()))
    )

    exams_ok = True
    if args.exams is not None and args.exams.exists():
        exams = [json.loads(line) for line in args.exams.read_text().splitlines() if line.strip()]
        finished = sum(1 for e in exams if e["finished"])
        retried = sum(e["retried"] for e in exams)
        failures = Counter(e["failure"].split(":")[0] for e in exams if e["failure"])
        print(
            f"Exams (Locust users): {len(exams)}, finished {finished}, not finished {len(exams) - finished}; "
            f"requests retried {retried} times in all"
        )
        for step, n in failures.most_common():
            print(f"  gave up at {step!r}: {n}")
        exams_ok = finished == len(exams) == world["students"]
        if len(exams) != world["students"]:
            print(f"  expected {world['students']} exams")

    ok = not lost and not changed and (args.in_progress_ok or unfinished == 0) and exams_ok
    print("VERIFY: OK" if ok else "VERIFY: FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
