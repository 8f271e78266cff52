"""Configuration: one frozen dataclass read from config.toml; unknown keys are refused by name."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

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
    reviewer: str = ""
    """Name written on review decisions; "" means the OS user."""
    undo_depth: int = 100
    """How many of the last review decisions can be undone."""


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
    _refuse_unknown(data, {"lang", "fields", "review"}, path, "")
    lang = data.get("lang", "zh")
    if lang not in LANGUAGES:
        raise ConfigError(f"{path}: lang must be one of {', '.join(LANGUAGES)}, not {lang!r}")
    fields = data.get("fields", {})
    if not isinstance(fields, dict):
        raise ConfigError(f"{path}: [fields] must be a table")
    _refuse_unknown(fields, {"aliases"}, path, "fields.")
    aliases = fields.get("aliases", {})
    if not isinstance(aliases, dict):
        raise ConfigError(f"{path}: [fields.aliases] must be a table")
    _refuse_unknown(aliases, set(FIELD_KEYS), path, "fields.aliases.")
    parsed: dict[str, tuple[str, ...]] = {}
    for key, words in aliases.items():
        if not isinstance(words, list) or not all(isinstance(w, str) and w for w in words):
            raise ConfigError(f"{path}: fields.aliases.{key} must be a list of non-empty strings")
        parsed[key] = tuple(words)
    reviewer, undo_depth = _parse_review(data.get("review", {}), path)
    return Config(
        lang=lang,
        field_aliases=MappingProxyType(parsed),
        reviewer=reviewer,
        undo_depth=undo_depth,
    )


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


def _refuse_unknown(table: Mapping[str, Any], known: set[str], path: Path, prefix: str) -> None:
    unknown = sorted(set(table) - known)
    if unknown:
        names = ", ".join(prefix + k for k in unknown)
        raise ConfigError(f"{path}: unknown key(s) {names}")
