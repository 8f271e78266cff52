r"""Every built-in regular expression takes time linear in the length of adversarial text.

The patterns are collected from the core's modules and packages (compiled module and class
attributes, also inside rule tables; literal patterns passed to `re` functions, read from the
source; the field rules' wordings) and run through the `regex` module on adversarial texts of
two lengths, the second four times the first. The CPU time this process spends (not the wall
clock, which a loaded machine stretches) must grow like the text, not like its square: the
test fails on catastrophic backtracking, never on a busy machine.

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
SIZE = 2 * 1024
GROWTH = 4
"""The long text is GROWTH times the short one: linear work grows 4 times, quadratic 16."""
ALLOWED = 2 * GROWTH
"""How much more CPU time the long text may take, with a floor of FLOOR seconds for timings
too short to compare."""
FLOOR = 0.02
POSITIONS = 40
"""An anchored pattern is tried at this many places, as callers try it at many."""
HANG_GUARD = 60.0
"""A search's timeout: only stops a pattern that would never end; no passing pattern nears it."""
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
    paths = sorted(CORE.rglob("*.py"))
    sources = "\n".join(p.read_text(encoding="utf-8") for p in paths)
    found: dict[str, tuple[str, int, bool]] = {}
    for path in paths:
        dotted = ".".join(path.relative_to(CORE).with_suffix("").parts)
        if dotted.endswith("__init__"):
            dotted = dotted.removesuffix("__init__").rstrip(".")
        module = importlib.import_module(f"core.{dotted}" if dotted else "core")
        short = dotted or "core"
        own = path.read_text(encoding="utf-8")
        for name, value in vars(module).items():
            # A private name is used in its own module only (two modules may both have one).
            used = _methods(name, own if name.startswith("_") else sources)
            anchored = bool(used) and used <= _ANCHORED
            for i, pattern in enumerate(_walk(value)):
                key = f"{short}.{name}[{i}]" if i else f"{short}.{name}"
                found.setdefault(pattern.pattern, (key, pattern.flags, anchored))
        literals = _literal_patterns(path.read_text(encoding="utf-8"))
        for i, (literal, function) in enumerate(literals):
            found.setdefault(literal, (f"{short}:re.{function}[{i}]", 0, function in _ANCHORED))
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


def adversarial_texts(pattern: str, size: int = SIZE) -> dict[str, str]:
    """Texts built to make a backtracking matcher work: long runs of the characters the
    pattern itself names, digits and separators, and nearly-matching
    repetitions ending in a character that breaks the match."""
    own = "".join(sorted({ch for ch in pattern if not ch.isascii() or ch.isalnum()})) or "a"
    mixed = own + _ALPHABET
    return {
        "own-run": (own * (size // len(own) + 1))[:size],
        "mixed": (mixed * (size // len(mixed) + 1))[:size],
        "digits": ("1,234.5" * (size // 7 + 1))[:size] + "!",
        "spaces": " " * size + "x",
        "one-char": (own[0] * size) + "\x00",
    }


def test_the_collection_finds_the_pattern_tables() -> None:
    names = " ".join(PATTERNS)
    for expected in ("extract._BRIDGE_RE", "numbers.", "tables.", "checks_text.", "units."):
        assert expected in names, expected
    assert PATTERNS["extract._BRIDGE_RE"][2] and not PATTERNS["extract._PREVIOUS_YEAR_RE"][2]
    assert set(BOUNDED) | set(KNOWN_SLOW) <= set(PATTERNS)
    assert sum(1 for n in PATTERNS if n.startswith("rules.")) >= len(FIELD_RULES)
    assert len(PATTERNS) > 100


def _scan(compiled: regex.Pattern[str], text: str) -> None:
    pos = 0
    while pos <= len(text):
        found = compiled.search(text, pos, timeout=HANG_GUARD)
        if found is None:
            return
        pos = found.end() + (found.end() == found.start())


def _run(compiled: regex.Pattern[str], text: str, piece: int | None, anchored: bool) -> None:
    """The pattern over the text the way the code uses it."""
    if piece:  # applied to short strings only: to each piece of the text
        for i in range(0, len(text), piece):
            part = text[i : i + piece]
            if anchored:
                compiled.match(part, timeout=HANG_GUARD)
            else:
                _scan(compiled, part)
    elif anchored:  # tried at many places, as callers do
        for k in range(POSITIONS):
            compiled.match(text, len(text) * k // POSITIONS, timeout=HANG_GUARD)
    else:
        _scan(compiled, text)


def _cpu_seconds(
    compiled: regex.Pattern[str], text: str, piece: int | None, anchored: bool, repeats: int = 3
) -> float:
    best = float("inf")
    for _ in range(repeats):
        started = time.process_time()
        _run(compiled, text, piece, anchored)
        best = min(best, time.process_time() - started)
    return best


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(n, marks=pytest.mark.xfail(strict=True, reason=KNOWN_SLOW[n]))
        if n in KNOWN_SLOW
        else n
        for n in sorted(PATTERNS)
    ],
)
def test_pattern_is_linear_on_adversarial_text(name: str) -> None:
    pattern, flags, anchored = PATTERNS[name]
    compiled = regex.compile(pattern, sum(v for k, v in _FLAGS.items() if flags & k))
    piece = BOUNDED.get(name)
    short = adversarial_texts(pattern, SIZE)
    long = adversarial_texts(pattern, SIZE * GROWTH)
    for text_name in short:
        try:
            small = _cpu_seconds(compiled, short[text_name], piece, anchored)
            large = _cpu_seconds(compiled, long[text_name], piece, anchored)
        except TimeoutError:
            pytest.fail(f"{name} never ends on {text_name}: {pattern!r}")
        assert large <= ALLOWED * small + FLOOR, (
            f"{name} backtracks on {text_name}: {small:.4f} s of CPU on {SIZE} characters, "
            f"{large:.4f} s on {SIZE * GROWTH}: {pattern!r}"
        )


def test_the_growth_test_catches_a_quadratic_pattern() -> None:
    # Scanning, every start tries the whole run of spaces (a pattern this test once caught).
    quadratic = regex.compile(r"\s*[。.；;]?[ \t]*(?:\n|$)")
    short, long = " " * SIZE + "y", " " * (SIZE * GROWTH) + "y"
    small = _cpu_seconds(quadratic, short, None, False)
    large = _cpu_seconds(quadratic, long, None, False, repeats=1)
    assert large > ALLOWED * small + FLOOR
