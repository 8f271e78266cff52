"""Bench: prove that extract + check give exactly the same results after a speed-up.

    .venv/bin/python bench/check_identical.py write HASHES.json [BATCH_DIR ...]
    .venv/bin/python bench/check_identical.py compare HASHES.json [BATCH_DIR ...]

Over every report text of sample_reports/, tests/core/data/ and the given batch folders
(make_batch.py), hashes, per file: the extraction (the documented JSON and the repr of every
figure, candidate, note, project, project list and warning), the findings of `run_checks` in
Chinese and in English (repr of every field), and per folder the findings of `check_batch`
(the cross-report checks). `write` saves the hashes; `compare` names every file that differs.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core.check_context import CheckConfig  # noqa: E402
from core.checks import check_batch, run_checks  # noqa: E402
from core.extract import extract  # noqa: E402
from core.findings_output import to_check_json  # noqa: E402
from core.models import Extraction, Finding  # noqa: E402
from core.reading import read_report  # noqa: E402

CORPORA = (ROOT / "sample_reports", ROOT / "tests" / "core" / "data")
SUFFIXES = {".txt", ".md", ".docx", ".pdf"}
ENGLISH = CheckConfig(lang="en")


def _digest(*parts: object) -> str:
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def _extraction_parts(ex: Extraction) -> tuple[object, ...]:
    return (ex.unit, ex.year, ex.figures, ex.projects, ex.project_lists, ex.warnings)


def report_hash(ex: Extraction) -> str:
    """One report: its extraction and its own findings, in both languages."""
    zh: list[Finding] = run_checks(ex)
    en: list[Finding] = run_checks(ex, config=ENGLISH)
    data = json.dumps(to_check_json([ex], [zh]), ensure_ascii=False, sort_keys=True)
    return _digest(data, _extraction_parts(ex), zh, en)


def folder_hashes(folder: Path) -> dict[str, str]:
    paths = sorted(p for p in folder.rglob("*") if p.suffix in SUFFIXES and p.is_file())
    paths = [p for p in paths if p.name.lower() != "readme.md"]
    extractions = [extract(read_report(p)) for p in paths]
    pairs = zip(paths, extractions, strict=True)
    hashes = {str(p.relative_to(folder)): report_hash(ex) for p, ex in pairs}
    hashes["(check_batch)"] = _digest(check_batch(extractions))
    return hashes


def all_hashes(batches: Sequence[Path]) -> dict[str, dict[str, str]]:
    return {str(folder): folder_hashes(folder) for folder in (*CORPORA, *batches)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("action", choices=("write", "compare"))
    parser.add_argument("hashes", type=Path)
    parser.add_argument("batches", nargs="*", type=Path)
    args = parser.parse_args()
    now = all_hashes(args.batches)
    count = sum(len(h) for h in now.values())
    if args.action == "write":
        args.hashes.write_text(json.dumps(now, indent=1, ensure_ascii=False))
        print(f"wrote {count} hashes to {args.hashes}")
        return
    before = json.loads(args.hashes.read_text())
    differ = [
        f"{folder}/{name}"
        for folder in sorted(set(before) | set(now))
        for name in sorted(set(before.get(folder, {})) | set(now.get(folder, {})))
        if before.get(folder, {}).get(name) != now.get(folder, {}).get(name)
    ]
    for name in differ:
        print(f"DIFFERS: {name}")
    print(f"{count} hashes compared, {len(differ)} differ")
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
