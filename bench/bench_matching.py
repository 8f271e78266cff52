"""Bench: matching names at the scale of a province, with the functions the product runs.

    .venv/bin/python bench/bench_matching.py BATCH_DIR [--sizes 5000,40000]

BATCH_DIR is a batch made by make_batch.py (only its truth.json is read: names, years,
projects). For each size N it times, each in a fresh process, with the peak memory that process
added:
- units: `group_units` over N reports' unit names (file name and the name in the text, the
  county left out of the text for a third of them), and how many of the batch's units it put
  together exactly;
- batch: `match_batch` over N reports: the units grouped, then each unit's projects matched
  with its previous year (what `jixiao match` and the workbench run);
- projects: `match_projects` of N projects of one year against the N of the next year (the
  same units' lists, renamed / replaced as make_batch drifts them), and how many of the true
  pairs it made.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from decimal import Decimal
from pathlib import Path

from core.matching import match_batch, match_projects
from core.models import Extraction, Project, Report
from core.units import group_units


def _reset_peak() -> None:
    """Start the peak (VmHWM) afresh, so it measures the call alone (Linux)."""
    Path("/proc/self/clear_refs").write_text("5")


def _rss_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field):
            return int(line.split()[1])
    return 0


def _units_case(truth: dict[str, dict[str, object]], n: int) -> dict[str, object]:
    names = sorted(truth)[:n]
    extractions = []
    for i, name in enumerate(names):
        info = truth[name]
        unit = str(info["unit_name"])
        written = unit.split("县", 1)[1] + "人民政府" if i % 3 == 0 else unit + "人民政府"
        report = Report(Path(name), f"{i:064x}", "", "txt")
        extractions.append(Extraction(report=report, unit=written, year=int(info["year"])))  # type: ignore[call-overload]
    _reset_peak()
    before = _rss_kb("VmRSS")
    began = time.perf_counter()
    groups = group_units(extractions)
    seconds = time.perf_counter() - began
    true_units: dict[object, set[str]] = defaultdict(set)
    for name in names:
        true_units[truth[name]["unit"]].add(name)
    found = {frozenset(str(ex.report.path) for ex in g.extractions) for g in groups}
    exact = sum(1 for files in true_units.values() if frozenset(files) in found)
    return {
        "seconds": seconds,
        "extra_mb": (_rss_kb("VmHWM") - before) / 1024,
        "result": f"{len(groups)} groups; {exact}/{len(true_units)} units grouped exactly",
    }


def _project_lists(
    truth: dict[str, dict[str, object]], n: int
) -> tuple[list[Project], list[Project], set[tuple[int, int]]]:
    by_unit: dict[object, dict[int, list[list[str]]]] = defaultdict(dict)
    towns = {info["unit"]: str(info["unit_name"]).split("县", 1)[1] for info in truth.values()}
    for info in truth.values():
        by_unit[info["unit"]][int(info["year"])] = info["projects"]  # type: ignore[call-overload,assignment]
    old: list[Project] = []
    new: list[Project] = []
    ids_old: list[str] = []
    ids_new: list[str] = []
    for unit, years in by_unit.items():
        first = min(years)
        if first + 1 not in years or len(old) >= n:
            continue
        # A province-wide list: each name carries its town (one unit's list need not).
        town = towns[unit]
        pairs = ((ids_old, old, years[first]), (ids_new, new, years[first + 1]))
        for ids, projects, items in pairs:
            for k, (identity, raw) in enumerate(items):
                name = raw if town in raw else town + raw
                amount = Decimal(10 + (len(projects) * 7 + k) % 500)
                projects.append(Project(name, amount, None, None, 0, 0, 1))
                ids.append(identity)
    old, new, ids_old, ids_new = old[:n], new[:n], ids_old[:n], ids_new[:n]
    where_new: dict[str, list[int]] = defaultdict(list)
    for j, identity in enumerate(ids_new):
        where_new[identity].append(j)
    true_pairs = {(i, j) for i, identity in enumerate(ids_old) for j in where_new.get(identity, ())}
    return old, new, true_pairs


def _projects_case(truth: dict[str, dict[str, object]], n: int) -> dict[str, object]:
    old, new, true_pairs = _project_lists(truth, n)
    _reset_peak()
    before = _rss_kb("VmRSS")
    began = time.perf_counter()
    result = match_projects(old, new)
    seconds = time.perf_counter() - began
    index_old = {id(p): i for i, p in enumerate(old)}
    index_new = {id(p): j for j, p in enumerate(new)}
    made = {(index_old[id(p.old)], index_new[id(p.new)]) for p in result.pairs}
    return {
        "seconds": seconds,
        "extra_mb": (_rss_kb("VmHWM") - before) / 1024,
        "result": f"{len(old)} × {len(new)}: {len(made)} pairs, "
        f"{len(made & true_pairs)}/{len(true_pairs)} true pairs made",
    }


def _batch_case(truth: dict[str, dict[str, object]], n: int) -> dict[str, object]:
    extractions = []
    for i, name in enumerate(sorted(truth)[:n]):
        info = truth[name]
        projects = tuple(
            Project(str(p), Decimal(10 + k), None, None, 0, 0, 1)
            for k, (_, p) in enumerate(info["projects"])  # type: ignore[arg-type]
        )
        report = Report(Path(name), f"{i:064x}", "", "txt")
        unit, year = str(info["unit_name"]) + "人民政府", int(info["year"])  # type: ignore[call-overload]
        extractions.append(Extraction(report=report, unit=unit, year=year, projects=projects))
    _reset_peak()
    before = _rss_kb("VmRSS")
    began = time.perf_counter()
    result = match_batch(extractions)
    seconds = time.perf_counter() - began
    pairs = sum(len(r.projects.pairs) for r in result.reports)
    return {
        "seconds": seconds,
        "extra_mb": (_rss_kb("VmHWM") - before) / 1024,
        "result": f"{len(result.units)} units, {len(result.reports)} year pairs, "
        f"{pairs} project pairs",
    }


CASES = {"units": _units_case, "batch": _batch_case, "projects": _projects_case}


def _run(case: str, batch: str, n: int) -> dict[str, object]:
    truth = json.loads((Path(batch) / "truth.json").read_text("utf-8"))["reports"]
    return CASES[case](truth, n)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("batch", type=Path)
    parser.add_argument("--sizes", default="5000,40000")
    parser.add_argument(
        "--projects-max",
        type=int,
        default=10000,
        help="largest N for the pooled project list (its candidate pairs grow as N²: "
        "40,000 takes gigabytes)",
    )
    args = parser.parse_args()
    for n in (int(s) for s in args.sizes.split(",")):
        for case in CASES:
            if case == "projects" and n > args.projects_max:
                print(f"projects N={n:6}: skipped (over --projects-max {args.projects_max})")
                continue
            with ProcessPoolExecutor(1) as pool:  # a fresh process: its own peak memory
                got = pool.submit(_run, case, str(args.batch), n).result()
            print(
                f"{case:8} N={n:6}: {got['seconds']:7.2f} s, "
                f"peak extra memory {got['extra_mb']:6.1f} MB; {got['result']}"
            )


if __name__ == "__main__":
    main()
