"""Generated hostile text: terminal escapes (CSI, OSC title/clipboard/hyperlink, 8-bit C1),
bidi controls and Rich/Textual markup mixed with Chinese words and figures, from a seed."""

from __future__ import annotations

import random

ESC = "\x1b"
PAYLOAD_URL = "https://evil.invalid/x"
PIECES = (
    f"{ESC}[2J", f"{ESC}[31m", f"{ESC}[?1049h", f"{ESC}]0;pwned-title\x07",
    f"{ESC}]52;c;cHduZWQ=\x07", f"{ESC}]52;c;cHduZWQ={ESC}\\",
    f"{ESC}]8;;{PAYLOAD_URL}{ESC}\\链接{ESC}]8;;{ESC}\\", "\x9b31m", "\x9b2J",
    "\x9d0;pwned-title\x9c", "\x9d52;c;cHduZWQ=\x07", "\x85", "\x90", "\x9f", ESC, "\x07", "\x08",
    "\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069",
    "[/b]", "[b]", "[/]", "[@click=app.quit]", "[@click=app.bell]点[/]",
    f"[link={PAYLOAD_URL}]", "[/link]", "[bookmark: _Toc1]", "[on red]", "[", "]", "\\",
    "人民政府", "项目", "资金", "支出合计", "自评", "１２", "1290.00", "万元", "%", "，", "。",
    " ", "\t", "\u3000",
)  # fmt: skip
"""The pieces a hostile string is made of."""


def hostile(rng: random.Random, *, most: int = 12, pieces: tuple[str, ...] = PIECES) -> str:
    """One hostile string of 1 to `most` pieces."""
    return "".join(rng.choice(pieces) for _ in range(rng.randint(1, most)))


def hostile_name(rng: random.Random) -> str:
    """A hostile file name: no "/" or NUL, short enough for any file system."""
    while True:
        name = hostile(rng, most=6).replace("/", "").replace("\\", "")
        if name.strip() and len(name.encode()) < 120 and name not in (".", ".."):
            return name


def has_controls(text: str) -> bool:
    """Holds a character a terminal obeys or that reorders text: C0 (but tab and line feed),
    DEL, C1, or a bidi control."""
    return any((c < " " and c not in "\t\n") or "\x7f" <= c <= "\x9f" or c in BIDI for c in text)


BIDI = set("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
