"""Configuration: one frozen dataclass read from config.toml; unknown keys are refused by name."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType
from typing import Any

from core.check_context import DEFAULT_GRADE_BANDS, SEVERITIES, CheckConfig
from core.checks import CHECK_IDS
from core.patterns import UserPattern, compile_pattern
from core.rules import FIELD_KEYS

DEFAULT_CONFIG_NAME = "config.toml"
LANGUAGES = ("zh", "en")


class ConfigError(ValueError):
    """A configuration file that cannot be used; the message names the file and the key."""


@dataclass(frozen=True)
class Config:
    """Settings a user may change in config.toml."""

    lang: str = "zh"
    """Language of labels and messages: "zh" or "en"."""
    field_aliases: Mapping[str, tuple[str, ...]] = field(
        default_factory=lambda: MappingProxyType({})
    )
    """Extra literal labels per field key, e.g. {"spending_total": ("支出决算数",)}."""
    field_patterns: Mapping[str, tuple[UserPattern, ...]] = field(
        default_factory=lambda: MappingProxyType({})
    )
    """[fields.patterns] Extra label regular expressions per field key (the figure follows),
    run with the `regex` module and a time limit."""
    checks: CheckConfig = field(default_factory=CheckConfig)
    """Which checks run, their severities, tolerances and the grade bands ([checks])."""
    unit_threshold: float = 90.0
    """[matching] Least `fuzz.ratio` (0–100) between two spellings of a unit's own name (the
    part after the county) for them to be one unit."""
    reviewer: str = ""
    """Name written on review decisions; "" means the OS user."""
    undo_depth: int = 100
    """How many of the last review decisions can be undone."""
    project_cutoff: float = 80.0
    """[matching] Least `fuzz.ratio` (0–100) between two normalised project names for them to
    be paired across years."""
    keymap: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    """[keymap] Workbench binding id → keys ("c" or "c,enter"); the workbench checks the ids."""


def load_config(path: Path | None) -> Config:
    """Read a config file; None or a missing default file gives the defaults."""
    if path is None:
        return Config()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read ({exc.strerror or exc})") from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8 text") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from exc
    return _parse(data, path)


def _parse(data: Mapping[str, Any], path: Path) -> Config:
    _refuse_unknown(data, {"lang", "fields", "checks", "matching", "review", "keymap"}, path, "")
    lang = data.get("lang", "zh")
    if lang not in LANGUAGES:
        raise ConfigError(f"{path}: lang must be one of {', '.join(LANGUAGES)}, not {lang!r}")
    fields = data.get("fields", {})
    if not isinstance(fields, dict):
        raise ConfigError(f"{path}: [fields] must be a table")
    _refuse_unknown(fields, {"aliases", "patterns"}, path, "fields.")
    aliases = fields.get("aliases", {})
    if not isinstance(aliases, dict):
        raise ConfigError(f"{path}: [fields.aliases] must be a table")
    _refuse_unknown(aliases, set(FIELD_KEYS), path, "fields.aliases.")
    parsed: dict[str, tuple[str, ...]] = {}
    for key, words in aliases.items():
        if not isinstance(words, list) or not all(isinstance(w, str) and w for w in words):
            raise ConfigError(f"{path}: fields.aliases.{key} must be a list of non-empty strings")
        parsed[key] = tuple(words)
    patterns = _parse_patterns(fields.get("patterns", {}), path)
    checks = _parse_checks(data.get("checks", {}), path, lang)
    unit_threshold, project_cutoff = _parse_matching(data.get("matching", {}), path)
    reviewer, undo_depth = _parse_review(data.get("review", {}), path)
    return Config(
        lang=lang,
        field_aliases=MappingProxyType(parsed),
        field_patterns=MappingProxyType(patterns),
        checks=checks,
        unit_threshold=unit_threshold,
        project_cutoff=project_cutoff,
        reviewer=reviewer,
        undo_depth=undo_depth,
        keymap=MappingProxyType(_parse_keymap(data.get("keymap", {}), path)),
    )


def _parse_patterns(table: object, path: Path) -> dict[str, tuple[UserPattern, ...]]:
    """[fields.patterns]: field key → regular expressions for its label, checked here."""
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [fields.patterns] must be a table")
    _refuse_unknown(table, set(FIELD_KEYS), path, "fields.patterns.")
    parsed: dict[str, tuple[UserPattern, ...]] = {}
    for key, patterns in table.items():
        if not isinstance(patterns, list) or not all(isinstance(p, str) and p for p in patterns):
            raise ConfigError(
                f"{path}: fields.patterns.{key} must be a list of regular expressions (strings)"
            )
        for pattern in patterns:
            try:
                compiled = compile_pattern(pattern)
            except Exception as exc:  # regex.error, or a recursion in a huge pattern
                raise ConfigError(
                    f"{path}: fields.patterns.{key}: {pattern!r} is not a valid regular "
                    f"expression ({exc})"
                ) from None
            if compiled.search(""):
                raise ConfigError(
                    f"{path}: fields.patterns.{key}: {pattern!r} matches empty text: "
                    "it must match the label"
                )
        parsed[key] = tuple(UserPattern(p, str(path)) for p in patterns)
    return parsed


def _parse_matching(table: object, path: Path) -> tuple[float, float]:
    """[matching]: unit_threshold and project_cutoff, scores from 0 to 100."""
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [matching] must be a table")
    _refuse_unknown(table, {"unit_threshold", "project_cutoff"}, path, "matching.")
    defaults = Config()
    values = []
    for key in ("unit_threshold", "project_cutoff"):
        value = table.get(key, getattr(defaults, key))
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 100:
            raise ConfigError(f"{path}: matching.{key} must be a number from 0 to 100")
        values.append(float(value))
    return values[0], values[1]


def _parse_checks(table: Any, path: Path, lang: str) -> CheckConfig:
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [checks] must be a table")
    known = {"disabled", "severity", "tolerance", "grade_bands", "copied_min_chars",
             "template_reports"}  # fmt: skip
    _refuse_unknown(table, known, path, "checks.")
    disabled = table.get("disabled", [])
    if not isinstance(disabled, list) or not all(isinstance(d, str) for d in disabled):
        raise ConfigError(f"{path}: checks.disabled must be a list of check ids")
    _refuse_unknown(dict.fromkeys(disabled), set(CHECK_IDS), path, "checks.disabled: ")
    severity = _table(table, "severity", path)
    _refuse_unknown(severity, set(CHECK_IDS), path, "checks.severity.")
    for key, value in severity.items():
        if value not in SEVERITIES:
            raise ConfigError(
                f"{path}: checks.severity.{key} must be one of {', '.join(SEVERITIES)}"
            )
    tolerance = _table(table, "tolerance", path)
    _refuse_unknown(tolerance, set(CHECK_IDS), path, "checks.tolerance.")
    for key, value in tolerance.items():
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            raise ConfigError(f"{path}: checks.tolerance.{key} must be a number ≥ 0")
    bands = _table(table, "grade_bands", path) or {g: int(v) for g, v in DEFAULT_GRADE_BANDS}
    _refuse_unknown(bands, {g for g, _ in DEFAULT_GRADE_BANDS}, path, "checks.grade_bands.")
    for key, value in bands.items():
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 100:
            raise ConfigError(f"{path}: checks.grade_bands.{key} must be a score from 0 to 100")
    ints = {}
    for key, default in (("copied_min_chars", 60), ("template_reports", 3)):
        value = table.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ConfigError(f"{path}: checks.{key} must be a whole number ≥ 1")
        ints[key] = value
    return CheckConfig(
        lang=lang,
        disabled=frozenset(disabled),
        severity=MappingProxyType(dict(severity)),
        tolerance=MappingProxyType({k: Decimal(str(v)) for k, v in tolerance.items()}),
        grade_bands=tuple(
            sorted(((g, Decimal(str(v))) for g, v in bands.items()), key=lambda b: -b[1])
        ),
        copied_min_chars=ints["copied_min_chars"],
        template_reports=ints["template_reports"],
    )


def _table(table: Mapping[str, Any], key: str, path: Path) -> dict[str, Any]:
    value = table.get(key, {})
    if not isinstance(value, dict):
        raise ConfigError(f"{path}: [checks.{key}] must be a table")
    return value


def _parse_review(review: Any, path: Path) -> tuple[str, int]:
    """The [review] section: reviewer name and undo depth."""
    if not isinstance(review, dict):
        raise ConfigError(f"{path}: [review] must be a table")
    _refuse_unknown(review, {"reviewer", "undo_depth"}, path, "review.")
    reviewer = review.get("reviewer", "")
    if not isinstance(reviewer, str) or reviewer != reviewer.strip():
        raise ConfigError(f"{path}: review.reviewer must be a name (a string without edge spaces)")
    depth = review.get("undo_depth", 100)
    if not isinstance(depth, int) or isinstance(depth, bool) or not 0 <= depth <= 10_000:
        raise ConfigError(f"{path}: review.undo_depth must be an integer from 0 to 10000")
    return reviewer, depth


# A key as Textual names it ("c", "f1", "ctrl+n", "question_mark", "?"): no spaces, no commas.
_KEY = re.compile(r"[^\s,]+")


def _parse_keymap(table: object, path: Path) -> dict[str, str]:
    """[keymap]: binding id → one key or several separated by commas. Which ids exist is the
    workbench's to say (tui/keymap.py); here only the shape is checked."""
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [keymap] must be a table")
    keymap: dict[str, str] = {}
    for binding_id, keys in table.items():
        parts = keys.split(",") if isinstance(keys, str) else []
        if not parts or not all(_KEY.fullmatch(k.strip()) for k in parts):
            raise ConfigError(
                f"{path}: keymap.{binding_id} must be a key or keys separated by commas, "
                f'like "c" or "ctrl+n,f5", not {keys!r}'
            )
        keymap[binding_id] = ",".join(k.strip() for k in parts)
    return keymap


def _refuse_unknown(table: Mapping[str, Any], known: set[str], path: Path, prefix: str) -> None:
    unknown = sorted(set(table) - known)
    if unknown:
        names = ", ".join(prefix + k for k in unknown)
        raise ConfigError(f"{path}: unknown key(s) {names}")
