"""Every output of `jixiao extract` and `jixiao check` over a batch, written into a folder, so
that two versions of the command can be compared byte for byte (`diff -r OLD NEW`).

    .venv/bin/python bench/cli_outputs.py BATCH OUT_DIR [--runs N] [--lang zh|en]

For each format the command is run to standard output and with -o FILE; standard error and the
exit code are kept beside. xlsx files hold their creation time: their cells are written out as
CSV instead. With --runs 2 the second run uses the cache the first one filled (its outputs go
to OUT_DIR-run2, to compare with the first run's).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
JIXIAO = ROOT / ".venv" / "bin" / "jixiao"
COMMANDS = {
    "extract": ("table", "csv", "json", "parquet", "xlsx"),
    "check": ("table", "json", "csv", "md"),
}
NEEDS_FILE = ("parquet", "xlsx")


def run_all(batch: Path, out: Path, lang: str, cache: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"} | {"JIXIAO_CACHE_DIR": str(cache)}
    for command, formats in COMMANDS.items():
        for fmt in formats:
            targets = ["file"] if fmt in NEEDS_FILE else ["stdout", "file"]
            for target in targets:
                name = f"{command}-{fmt}-{target}"
                argv = [str(JIXIAO), "--lang", lang, command, str(batch), "--format", fmt]
                result_file = out / f"{name}.{fmt}"
                if target == "file":
                    argv += ["-o", str(result_file)]
                done = subprocess.run(argv, capture_output=True, env=env, check=False)
                if target == "stdout":
                    result_file.write_bytes(done.stdout)
                (out / f"{name}.stderr").write_bytes(done.stderr)
                (out / f"{name}.rc").write_text(f"{done.returncode}\n")
                if fmt == "xlsx" and result_file.exists():
                    import polars as pl

                    pl.read_excel(result_file).write_csv(out / f"{name}.xlsx.csv")
                    result_file.unlink()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("batch", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--lang", default="zh")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="jixiao-cli-outputs-") as cache:
        for run in range(args.runs):
            target = args.out if run == 0 else args.out.with_name(f"{args.out.name}-run{run + 1}")
            run_all(args.batch, target, args.lang, Path(cache))
    return 0


if __name__ == "__main__":
    sys.exit(main())
