r"""Every built-in regular expression finishes on 100 KB of adversarial text.

The patterns are collected from the core's modules (compiled module and class attributes, also
inside rule tables; literal patterns passed to `re` functions, read from the source; the field
rules' wordings) and run through the `regex` module with a timeout: the test fails on
catastrophic backtracking, not on a noisy clock.

Each runs the way the code runs it: a pattern only ever used with `.match`/`.fullmatch` is tried
anchored (at every 1,000th position), any other scans the whole text. Scanning, `\s*X` costs
time quadratic in a run of spaces; anchored it is linear, and that is how those patterns are used.
"""

from __future__ import annotations

import ast
import dataclasses
import importlib
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import regex  # type: ignore[import-untyped]

from core.rules import FIELD_RULES, SUM_RELATIONS

CORE = Path(__file__).resolve().parents[2] / "core"
SIZE = 100 * 1024
TIMEOUT = 1.0
"""Seconds for one pattern over one 100 KB text, all its matches together (a deadline passed
on to each search as its timeout): ~100 times what a linear scan takes here; a quadratic one
takes seconds."""
_FLAGS = {re.I: regex.I, re.M: regex.M, re.S: regex.S, re.X: regex.X, re.A: regex.A}


def _walk(value: object, depth: int = 0) -> Iterator[re.Pattern[str]]:
    if isinstance(value, re.Pattern):
        yield value
    elif depth > 3:
        return
    elif isinstance(value, tuple | list | frozenset | set):
        for item in value:
            yield from _walk(item, depth + 1)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _walk(item, depth + 1)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            yield from _walk(getattr(value, f.name), depth + 1)
    elif isinstance(value, type) and value.__module__.startswith("core."):
        for item in vars(value).values():
            yield from _walk(item, depth + 1)


def _literal_patterns(source: str) -> Iterator[tuple[str, str]]:
    """String literals given as the pattern to re.compile, re.search, re.sub…, with the
    function."""
    for node in ast.walk(ast.parse(source)):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "re"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            yield node.args[0].value, node.func.attr


_ANCHORED = frozenset({"match", "fullmatch"})
BOUNDED = {
    "matching._QUALIFIER_RE": 60,
    "extract._THRESHOLD_RE": 16,
    "extract._INCLUDES_RETIRED_RE": 16,
}
"""Patterns applied only to short strings, and how short: project names (core/projects.py keeps
names of 2 to 60 characters), the 16 characters after a number (core/extract.py). They run over
the 100 KB in pieces of that size."""
KNOWN_SLOW: dict[str, str] = {}
"""Patterns found slow, in files of another area: expected to fail until fixed."""


def _methods(name: str, sources: str) -> set[str]:
    return set(re.findall(rf"\b{re.escape(name)}\.(\w+)\(", sources))


def collect() -> dict[str, tuple[str, int, bool]]:
    """Every built-in pattern found: a readable id → (pattern, `re` flags, used anchored)."""
    sources = "\n".join(p.read_text(encoding="utf-8") for p in CORE.rglob("*.py"))
    found: dict[str, tuple[str, int, bool]] = {}
    for path in sorted(CORE.rglob("*.py")):
        dotted = ".".join(path.relative_to(CORE).with_suffix("").parts)
        module = importlib.import_module(f"core.{dotted}")
        for name, value in vars(module).items():
            anchored = bool(_methods(name, sources)) and _methods(name, sources) <= _ANCHORED
            for i, pattern in enumerate(_walk(value)):
                key = f"{dotted}.{name}[{i}]" if i else f"{dotted}.{name}"
                found.setdefault(pattern.pattern, (key, pattern.flags, anchored))
        literals = _literal_patterns(path.read_text(encoding="utf-8"))
        for i, (literal, function) in enumerate(literals):
            found.setdefault(literal, (f"{dotted}:re.{function}[{i}]", 0, function in _ANCHORED))
    for rule in FIELD_RULES:
        for kind, wordings in (("wordings", rule.wordings), ("weak", rule.weak_wordings)):
            if wordings:  # as extract.py compiles them: one alternation per rule
                alternation = "|".join(f"(?:{w})" for w in wordings)
                found.setdefault(alternation, (f"rules.{rule.key}.{kind}", 0, False))
    for relation in SUM_RELATIONS:
        if relation.others:
            found.setdefault(relation.others, (f"rules.others.{relation.total}", 0, False))
    return {name: (pattern, flags, anchored) for pattern, (name, flags, anchored) in found.items()}


PATTERNS = collect()

_ALPHABET = "0123456789０１２３４５６７８９.,，。、；：:%％（）()[]【】“”\"' \t万元亿年月日一二三四五六七八九十百千零两"


def adversarial_texts(pattern: str) -> dict[str, str]:
    """100 KB texts built to make a backtracking matcher work: long runs of the characters the
    pattern itself names, digits and separators, and nearly-matching
    repetitions ending in a character that breaks the match."""
    own = "".join(sorted({ch for ch in pattern if not ch.isascii() or ch.isalnum()})) or "a"
    mixed = own + _ALPHABET
    return {
        "own-run": (own * (SIZE // len(own) + 1))[:SIZE],
        "mixed": (mixed * (SIZE // len(mixed) + 1))[:SIZE],
        "digits": ("1,234.5" * (SIZE // 7 + 1))[:SIZE] + "!",
        "spaces": " " * SIZE + "x",
        "one-char": (own[0] * SIZE) + "\x00",
    }


def test_the_collection_finds_the_pattern_tables() -> None:
    names = " ".join(PATTERNS)
    for expected in ("extract._BRIDGE_RE", "numbers.", "tables.", "checks_text.", "units."):
        assert expected in names, expected
    assert PATTERNS["extract._BRIDGE_RE"][2] and not PATTERNS["extract._PREVIOUS_YEAR_RE"][2]
    assert set(BOUNDED) | set(KNOWN_SLOW) <= set(PATTERNS)
    assert sum(1 for n in PATTERNS if n.startswith("rules.")) >= len(FIELD_RULES)
    assert len(PATTERNS) > 100


def _scan(compiled: regex.Pattern[str], text: str, deadline: float) -> None:
    pos = 0
    while pos <= len(text):
        found = compiled.search(text, pos, timeout=max(deadline - time.monotonic(), 1e-6))
        if found is None:
            return
        pos = found.end() + (found.end() == found.start())


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(n, marks=pytest.mark.xfail(strict=True, reason=KNOWN_SLOW[n]))
        if n in KNOWN_SLOW
        else n
        for n in sorted(PATTERNS)
    ],
)
def test_pattern_is_fast_on_adversarial_text(name: str) -> None:
    pattern, flags, anchored = PATTERNS[name]
    compiled = regex.compile(pattern, sum(v for k, v in _FLAGS.items() if flags & k))
    for text_name, text in adversarial_texts(pattern).items():
        piece = BOUNDED.get(name)
        if piece:  # applied to short strings only: to each piece of the text
            texts, starts = [text[i : i + piece] for i in range(0, len(text), piece)], [0]
        else:  # anchored: tried at many places, as callers do; else scanning the whole text
            texts, starts = [text], list(range(0, len(text), 1000))
        deadline = time.monotonic() + TIMEOUT
        try:
            for part in texts:
                if anchored:
                    for pos in starts:
                        left = max(deadline - time.monotonic(), 1e-6)
                        compiled.match(part, pos, timeout=left)
                else:
                    _scan(compiled, part, deadline)
        except TimeoutError:
            pytest.fail(f"{name} backtracks catastrophically on {text_name}: {pattern!r}")
