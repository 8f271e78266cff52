"""The [review] section of config.toml."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.config import Config, ConfigError, load_config

ROOT = Path(__file__).resolve().parents[2]


def test_shipped_config_documents_the_defaults():
    config = load_config(ROOT / "config.toml")
    assert (
        (config.reviewer, config.undo_depth)
        == (Config().reviewer, Config().undo_depth)
        == ("", 100)
    )


def test_review_settings_are_read(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('[review]\nreviewer = "张三"\nundo_depth = 20\n', encoding="utf-8")
    config = load_config(path)
    assert (config.reviewer, config.undo_depth) == ("张三", 20)


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ('[review]\nreviwer = "张三"\n', "review.reviwer"),
        ("[review]\nreviewer = 3\n", "review.reviewer"),
        ('[review]\nreviewer = " 张三"\n', "review.reviewer"),
        ('[review]\nundo_depth = "10"\n', "review.undo_depth"),
        ("[review]\nundo_depth = -1\n", "review.undo_depth"),
        ("[review]\nundo_depth = true\n", "review.undo_depth"),
        ('review = "张三"\n', "[review]"),
    ],
    ids=[
        "misspelt-key",
        "name-not-text",
        "edge-spaces",
        "depth-as-text",
        "negative-depth",
        "depth-as-bool",
        "not-a-table",
    ],
)
def test_bad_review_settings_are_refused_by_name(tmp_path, text, named):
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=named.replace("[", r"\[").replace("]", r"\]")) as caught:
        load_config(path)
    assert str(path) in str(caught.value)
