"""core/ is a library: importing any of its modules never imports the terminal UI."""

import pkgutil
import subprocess
import sys
from pathlib import Path

import core

MODULES = sorted(f"core.{m.name}" for m in pkgutil.iter_modules(core.__path__))


def test_no_core_module_imports_textual():
    code = (
        "import importlib, sys\n"
        f"for name in {MODULES!r}:\n"
        "    importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'tui'))\n"
        "assert not bad, bad\n"
    )
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert len(MODULES) >= 10
