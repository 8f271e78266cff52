"""Which projects of one report continue in another (last year's and this year's), and how the
amounts moved; which are new and which are gone."""

from __future__ import annotations

import itertools
import math
import re
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from types import MappingProxyType

import numpy as np
from rapidfuzz import fuzz, process

from core.models import Extraction, Project
from core.numbers import plain_decimal
from core.units import DEFAULT_UNIT_THRESHOLD, UnitGroup, group_units, report_year

DEFAULT_SCORE_CUTOFF = 80.0
_ROWS = 2000
"""Old names scored against all the new ones at a time."""
_PARALLEL_PAIRS = 1_000_000
"""Pairs to score before it pays to start threads."""

_YEAR_RE = re.compile(r"(?:19|20)[0-9]{2}\s*年度?|[(（〔【\[](?:19|20)[0-9]{2}[)）〕】\]]")
_DASHES_RE = re.compile("[-\u2010-\u2015\u2212\u2e3a\u2e3b\ufe58\ufe63~\u301c]+")
_OPENING_RE = re.compile("[\\[{\u3010\u3014\u3016\u3008\u300a]")
_CLOSING_RE = re.compile("[\\]}\u3011\u3015\u3017\u3009\u300b]")
_NOISE_RE = re.compile("[\\s\"'\u201c\u201d\u2018\u2019\u3001\u3002\u00b7\u30fb,.;:]+")
# A budget line's funding level and its phase are part of its identity: 运行维护费－中央 and
# 运行维护费－省级 are two lines, 防洪大堤三期 and 防洪大堤四期 two projects, however alike.
_QUALIFIER_RE = re.compile(
    r"中央|省级|市级|州级|县级|区级|乡级|镇级|本级|上级"
    r"|第?[0-9一二三四五六七八九十]+(?:期|批次|批|标段)"
)


@dataclass(frozen=True)
class PairDecision:
    """A reviewer's verdict on pairing two projects, which overrides the automatic match."""

    from_name: str
    """The earlier report's project name, as written."""
    to_name: str
    """The later report's project name, as written."""
    accepted: bool
    """True: the two are the same project (forced); False: never pair them."""


@dataclass(frozen=True)
class ProjectPair:
    """One project found in both reports."""

    old: Project
    """The project in the earlier report."""
    new: Project
    """The project in the later report."""
    score: float
    """`fuzz.ratio` of the normalised names, 0–100 (100: the same name but for year and
    punctuation)."""
    change: Decimal | None
    """new.amount - old.amount in 万元; None when either amount is unknown."""
    change_pct: Decimal | None
    """The change in % of the old amount, to 0.01; None when unknown or the old amount is 0."""
    confirmed: bool = False
    """Paired because a reviewer confirmed it, not by the automatic match."""


@dataclass(frozen=True)
class ProjectMatch:
    """How two project lists correspond."""

    pairs: tuple[ProjectPair, ...]
    """Projects in both, in the later report's order."""
    new: tuple[Project, ...]
    """Projects only in the later report, in its order."""
    dropped: tuple[Project, ...]
    """Projects only in the earlier report, in its order."""


@dataclass(frozen=True)
class ReportMatch:
    """The projects of one unit's report matched against its report of an earlier year."""

    unit: str
    """The unit, as its group names it."""
    old: Extraction
    """The earlier report."""
    new: Extraction
    """The later report."""
    projects: ProjectMatch
    """Pairs, new and dropped projects."""

    @property
    def years(self) -> tuple[int | None, int | None]:
        """The two reports' years as the batch orders them (`report_year`)."""
        return report_year(self.old), report_year(self.new)


@dataclass(frozen=True)
class BatchMatch:
    """A batch's reports grouped by unit and each report matched with the unit's previous year."""

    units: tuple[UnitGroup, ...]
    """Every unit and its reports."""
    reports: tuple[ReportMatch, ...]
    """One entry per report and report of the closest earlier year of the same unit."""


def normalise_project_name(name: str) -> str:
    """A project name with what drifts between years taken out: years (2023年, 2024年度, 〔2023〕),
    full-width forms (NFKC), dash and bracket variants, quotes, separators and whitespace."""
    text = unicodedata.normalize("NFKC", name)
    text = _YEAR_RE.sub("", text)
    text = _DASHES_RE.sub("-", text)
    text = _OPENING_RE.sub("(", text)
    text = _CLOSING_RE.sub(")", text)
    return _NOISE_RE.sub("", text).lower()


def match_projects(
    old: Sequence[Project],
    new: Sequence[Project],
    *,
    score_cutoff: float = DEFAULT_SCORE_CUTOFF,
    decisions: Sequence[PairDecision] = (),
) -> ProjectMatch:
    """Pair each project of `old` with at most one of `new`.

    Names are compared normalised (`normalise_project_name`) with `fuzz.ratio`: Chinese names
    have no spaces, so every character counts as a token and the token scorers add nothing,
    while `partial_ratio` lifts different projects that share words (党建工作经费 and
    团委工作经费 score 80) to the level of real renames. Candidates below `score_cutoff` are
    pruned by rapidfuzz; two names with different funding levels or phases (中央/省级, 三期/四期)
    are never candidates.

    The assignment is greedy: the best-scoring candidate pair first, ties (same-named projects
    in one year) broken by the closest amount. This gives the stable assignment: no two
    projects are left paired elsewhere while being each other's best remaining match, which
    is what a reviewer checks by eye. At this cutoff few names have more than one candidate
    (in the sample batch only same-named duplicates do), so an optimal (total-score)
    assignment would have little to gain.

    `decisions` come first: a confirmed pair is made whatever its score (same-named projects
    by closest amount), a rejected pair is never made.
    """
    old_names = [normalise_project_name(p.name) for p in old]
    new_names = [normalise_project_name(p.name) for p in new]
    rejected = {(d.from_name, d.to_name) for d in decisions if not d.accepted}
    confirmed = {(d.from_name, d.to_name) for d in decisions if d.accepted}

    old_at, new_at = _positions(old), _positions(new)
    forced = [(i, j) for a, b in confirmed for i in old_at.get(a, ()) for j in new_at.get(b, ())]
    candidates: list[tuple[float, Decimal, int, int]] = []
    old_levels = [_qualifiers(name) for name in old_names]
    new_levels = [_qualifiers(name) for name in new_names]
    for i, j, score in _scored_pairs(old_names, new_names, score_cutoff):
        if (old[i].name, new[j].name) not in rejected and _compatible(old_levels[i], new_levels[j]):
            candidates.append((-score, _amount_gap(old[i], new[j]), i, j))

    pairs: dict[int, ProjectPair] = {}
    used_old: set[int] = set()
    forced_keys = sorted((_amount_gap(old[i], new[j]), i, j) for i, j in forced)
    for _, i, j in forced_keys:
        if i not in used_old and j not in pairs:
            score = fuzz.ratio(old_names[i], new_names[j])
            pairs[j] = _pair(old[i], new[j], score, confirmed=True)
            used_old.add(i)
    for negative_score, _, i, j in sorted(candidates):
        if i not in used_old and j not in pairs:
            pairs[j] = _pair(old[i], new[j], -negative_score, confirmed=False)
            used_old.add(i)
    return ProjectMatch(
        pairs=tuple(pairs[j] for j in sorted(pairs)),
        new=tuple(p for j, p in enumerate(new) if j not in pairs),
        dropped=tuple(p for i, p in enumerate(old) if i not in used_old),
    )


def _scored_pairs(
    old: Sequence[str], new: Sequence[str], score_cutoff: float
) -> Iterator[tuple[int, int, float]]:
    """(i, j, fuzz.ratio) of every pair of names scoring at least `score_cutoff`.

    Rows of old names at a time go through `process.cdist` on all cores with whole-number
    scores (a byte each: 2,000 × 40,000 names take 80 MB, the full 40,000² matrix would take
    1.6 GB); a pair within a point of the cutoff is scored again exactly, so the pairs and
    their scores are those `fuzz.ratio` gives."""
    if not old or not new:
        return
    rough_cutoff = max(0, math.floor(score_cutoff) - 1)
    for top in range(0, len(old), _ROWS):
        rows = old[top : top + _ROWS]
        scores = process.cdist(
            rows,
            new,
            scorer=fuzz.ratio,
            score_cutoff=rough_cutoff,
            dtype=np.uint8,
            workers=-1 if len(rows) * len(new) >= _PARALLEL_PAIRS else 1,
        )
        for r, j in zip(*np.nonzero(scores), strict=True):
            i = top + int(r)
            score = fuzz.ratio(old[i], new[j])
            if score >= score_cutoff:
                yield i, int(j), score


def _positions(projects: Sequence[Project]) -> dict[str, list[int]]:
    positions: dict[str, list[int]] = {}
    for index, p in enumerate(projects):
        positions.setdefault(p.name, []).append(index)
    return positions


def _qualifiers(name: str) -> frozenset[str]:
    return frozenset(_QUALIFIER_RE.findall(name))


def _compatible(qa: frozenset[str], qb: frozenset[str]) -> bool:
    return not qa or not qb or qa == qb


_NO_AMOUNT = Decimal("Infinity")


def _amount_gap(a: Project, b: Project) -> Decimal:
    """How far apart two amounts are, relative to the larger (0 = equal); unknown sorts last."""
    if a.amount is None or b.amount is None:
        return _NO_AMOUNT
    larger = max(abs(a.amount), abs(b.amount))
    return Decimal(0) if larger == 0 else abs(a.amount - b.amount) / larger


def _pair(old: Project, new: Project, score: float, *, confirmed: bool) -> ProjectPair:
    change = change_pct = None
    if old.amount is not None and new.amount is not None:
        change = plain_decimal(new.amount - old.amount)
        if old.amount != 0:
            change_pct = (change / old.amount * 100).quantize(Decimal("0.01"))
    return ProjectPair(old, new, score, change, change_pct, confirmed)


def match_batch(
    extractions: Sequence[Extraction],
    *,
    unit_threshold: float = DEFAULT_UNIT_THRESHOLD,
    score_cutoff: float = DEFAULT_SCORE_CUTOFF,
    decisions: Mapping[tuple[str, str], Sequence[PairDecision]] = MappingProxyType({}),
) -> BatchMatch:
    """Group a batch by unit (`group_units`) and match each report's projects against the
    unit's report(s) of the closest earlier year present (the year the text states, else the
    file name's: `report_year`). Reports without a year are grouped but not matched.
    `decisions` are keyed by the two reports' sha256 (earlier, later)."""
    units = group_units(extractions, threshold=unit_threshold)
    matches: list[ReportMatch] = []
    for group in units:
        by_year: dict[int, list[Extraction]] = {}
        for ex in group.extractions:
            year = report_year(ex)
            if year is not None:
                by_year.setdefault(year, []).append(ex)
        years = sorted(by_year)
        for earlier, later in itertools.pairwise(years):
            for old in by_year[earlier]:
                for new in by_year[later]:
                    key = (old.report.sha256, new.report.sha256)
                    projects = match_projects(
                        old.projects,
                        new.projects,
                        score_cutoff=score_cutoff,
                        decisions=decisions.get(key, ()),
                    )
                    matches.append(ReportMatch(group.unit, old, new, projects))
    return BatchMatch(units=units, reports=tuple(matches))
