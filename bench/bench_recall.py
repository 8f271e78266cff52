"""Bench: how many of the discrepancies injected by make_batch.py the checks find.

    .venv/bin/python bench/bench_recall.py BATCH_DIR

Reads, extracts and checks the whole batch (cross-report checks included) and prints the recall
by kind of discrepancy and by file format, and the reports with findings their seed report does
not have (scaled and renamed figures should raise nothing new).
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from core.checks import check_batch, run_checks
from core.extract import extract
from core.models import Finding
from core.reading import read_report

SAMPLES = Path(__file__).resolve().parent.parent / "sample_reports"


def found(item: dict[str, object], findings: Sequence[Finding]) -> bool:
    """Does a finding of an expected check name the injected field?"""
    checks = item["checks"]
    field = item["field"]
    return any(
        f.check in checks and (not field or field in f.fields)  # type: ignore[operator]
        for f in findings
    )


def score(batch: Path) -> dict[str, object]:
    """Recall by kind and by format, and reports with findings their seed has not."""
    truth = json.loads((batch / "truth.json").read_text("utf-8"))
    names = sorted(truth["reports"])
    extractions = [extract(read_report(batch / name)) for name in names]
    findings = check_batch(extractions)
    seeds = {
        p.name: Counter(f.check for f in run_checks(extract(read_report(p))))
        for p in [*SAMPLES.glob("*.txt"), *SAMPLES.glob("synthetic/*.txt")]
    }
    by_kind: dict[str, list[int]] = {}
    by_format: dict[str, list[int]] = {}
    missed: list[str] = []
    unexpected: list[str] = []
    for name, fs in zip(names, findings, strict=True):
        info = truth["reports"][name]
        for item in info["injected"]:
            hit = found(item, fs)
            for table, key in ((by_kind, item["kind"]), (by_format, info["format"])):
                table.setdefault(key, [0, 0])
                table[key][0] += hit
                table[key][1] += 1
            if not hit:
                missed.append(f"{name}: {item['kind']} {item['field']}")
        if not info["injected"]:
            new = Counter(f.check for f in fs if f.check != "copied_text") - seeds[info["seed"]]
            if new:
                unexpected.append(f"{name}: {dict(new)}")
    return {"by_kind": by_kind, "by_format": by_format, "missed": missed, "new": unexpected}


def main() -> None:
    batch = Path(sys.argv[1])
    result = score(batch)
    total = [0, 0]
    for title in ("by_kind", "by_format"):
        print(title.replace("_", " ") + ":")
        for key, (hit, count) in sorted(result[title].items()):  # type: ignore[attr-defined]
            print(f"  {key:6} {hit:6}/{count:<6} {100 * hit / count:5.1f} %")
            if title == "by_kind":
                total[0] += hit
                total[1] += count
    print(f"recall: {total[0]}/{total[1]} = {100 * total[0] / max(total[1], 1):.1f} %")
    print(f"clean reports with findings their seed has not: {len(result['new'])}")  # type: ignore[arg-type]
    for line in [*result["missed"], *result["new"]][:20]:  # type: ignore[misc]
        print("  ", line)


if __name__ == "__main__":
    main()
