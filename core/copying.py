"""Text one unit's report shares with another's: passages, self-references, other units' names.

Passages common to many reports of the batch are the shared template, not copying.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from hashlib import blake2b

from core.models import Extraction
from core.units import parse_unit_name, same_unit

_SENTENCE_RE = re.compile(r"[^。！？!?；;\n]+[。！？!?；;]?")
_SPACE_RE = re.compile(r"\s+")
_HAN_RE = re.compile(r"[\u4e00-\u9fff]")
_UNIT_SUFFIX_RE = re.compile(r"(?:人民政府|政府|办事处|本级)$")

TOWNSHIP_KINDS = ("镇", "乡", "街道", "苏木")
DEPARTMENT_KINDS = ("局", "委", "办", "中心")


@dataclass(frozen=True)
class SharedPassage:
    """A run of sentences one report shares with another unit's report."""

    start: int
    """Offset of the passage in this report's text."""
    end: int
    """Offset just past it."""
    other: int
    """Position in the batch of the report it is shared with."""
    chars: int
    """Chinese characters in the shared sentences."""


@dataclass(frozen=True)
class BatchIndex:
    """What the cross-report checks need to know about the whole batch, built once."""

    units: tuple[str | None, ...]
    """Each report's unit, by position in the batch."""
    owners: Mapping[bytes, tuple[int, ...]]
    """Sentence digest → positions of the reports that contain it."""
    min_chars: int
    """Shortest sentence (in Chinese characters) that counts."""
    template_reports: int
    """A sentence found in this many reports or more is template text."""
    towns: Mapping[str, tuple[int, ...]]
    """Township name ("前山镇") → positions of the reports whose unit it is."""


def sentences(text: str, min_chars: int) -> Iterator[tuple[int, int, bytes, int]]:
    """(start, end, digest, chinese characters) of each sentence long enough to count."""
    for match in _SENTENCE_RE.finditer(text):
        body = _SPACE_RE.sub("", match.group())
        han = len(_HAN_RE.findall(body))
        if han >= min_chars:
            yield match.start(), match.end(), blake2b(body.encode(), digest_size=12).digest(), han


def build_batch_index(
    extractions: Sequence[Extraction], *, min_chars: int = 20, template_reports: int = 3
) -> BatchIndex:
    """Index the batch's sentences; cost is linear in the batch's text."""
    return index_batch(
        ((ex.unit, ex.report.text) for ex in extractions),
        min_chars=min_chars,
        template_reports=template_reports,
    )


def index_batch(
    reports: Iterable[tuple[str | None, str]], *, min_chars: int = 20, template_reports: int = 3
) -> BatchIndex:
    """`build_batch_index` over (unit, text) pairs given one at a time, so that a large batch
    need not be held in memory at once."""
    owners: dict[bytes, list[int]] = {}
    towns: dict[str, list[int]] = {}
    units: list[str | None] = []
    for position, (unit, text) in enumerate(reports):
        units.append(unit)
        seen: set[bytes] = set()
        for _, _, digest, _ in sentences(text, min_chars):
            if digest not in seen:
                seen.add(digest)
                holders = owners.setdefault(digest, [])
                # Past `template_reports` holders a sentence is template: more are not needed.
                if len(holders) < template_reports:
                    holders.append(position)
        town = town_name(unit)
        if town is not None:
            towns.setdefault(town, []).append(position)
    return BatchIndex(
        units=tuple(units),
        owners={d: tuple(p) for d, p in owners.items() if len(p) > 1},
        min_chars=min_chars,
        template_reports=template_reports,
        towns={t: tuple(p) for t, p in towns.items()},
    )


_TOWN_SUFFIX_RE = re.compile(r"镇|乡|街道|苏木")


def towns_named(index: BatchIndex, text: str) -> dict[str, list[tuple[int, int]]]:
    """The batch's township names found in a text, with their spans: one pass over the text,
    looking up the 2–6 characters before each 镇/乡/街道/苏木 (a bigger batch costs no more)."""
    found: dict[str, list[tuple[int, int]]] = {}
    for match in _TOWN_SUFFIX_RE.finditer(text):
        for size in range(2, 7):
            start = match.start() - size
            if start < 0:
                break
            name = text[start : match.end()]
            if name in index.towns:
                found.setdefault(name, []).append((start, match.end()))
    return found


def one_unit(a: str | None, b: str | None) -> bool:
    """Two reports of one unit (another year's report is not copying)."""
    return bool(a and b) and same_unit(a, b)  # type: ignore[arg-type]


def shared_passages(index: BatchIndex, position: int, text: str) -> list[SharedPassage]:
    """Runs of consecutive sentences this report shares with one other unit's report."""
    passages: list[SharedPassage] = []
    unit = index.units[position]
    run: list[tuple[int, int, int]] = []  # (start, end, chars) of the current run
    run_other: int | None = None

    def close() -> None:
        if run and run_other is not None:
            passages.append(
                SharedPassage(run[0][0], run[-1][1], run_other, sum(c for _, _, c in run))
            )

    for start, end, digest, han in sentences(text, index.min_chars):
        holders = index.owners.get(digest, ())
        if len(holders) >= index.template_reports:
            holders = ()  # the shared template, not copying (checked first: it is cheap)
        others = [
            p
            for p in holders
            if p != position and index.units[p] != unit and not one_unit(unit, index.units[p])
        ]
        copied = bool(others)
        other = others[0] if copied else None
        if other is not None and other == run_other:
            run.append((start, end, han))
            continue
        close()
        run, run_other = ([(start, end, han)], other) if other is not None else ([], None)
    close()
    return passages


def organisation_kind(unit: str | None) -> str | None:
    """镇, 乡, 街道, 苏木, 局, 委, 办 or 中心: what kind of unit a name designates."""
    if not unit:
        return None
    name = _UNIT_SUFFIX_RE.sub("", unit)
    name = re.sub(r"(?:委员会)$", "委", name)
    name = re.sub(r"(?:办公室)$", "办", name)
    for kind in (*TOWNSHIP_KINDS, *DEPARTMENT_KINDS):
        if name.endswith(kind):
            return "乡" if kind == "苏木" else kind
    return None


def town_name(unit: str | None) -> str | None:
    """The township part of a unit name ("徐闻县前山镇人民政府" → "前山镇"), or None."""
    if not unit:
        return None
    proper = parse_unit_name(unit).proper
    return proper if proper.endswith(("镇", "乡", "街道", "苏木")) and len(proper) > 2 else None
