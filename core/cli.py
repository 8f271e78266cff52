"""The `jixiao` command line."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from core.check_context import CheckConfig
from core.cleaning import inert, inert_name
from core.config import DEFAULT_CONFIG_NAME, Config, ConfigError, load_config
from core.export import EXPORT_FORMATS
from core.extract import extract
from core.problems import problem_text, translate
from core.reading import FoundFiles, find_reports, read_report
from core.rules import FIELD_RULES, FieldRule, with_aliases

if TYPE_CHECKING:
    from core.cache import ResultCache
    from core.cli_batch import Run

EXIT_OK, EXIT_SOME_ERRORS, EXIT_USAGE = 0, 1, 2
COMMANDS = ("extract", "check", "match", "export", "merge", "review")
FORMATS = ("table", "csv", "json", "parquet", "xlsx")
CHECK_FORMATS = ("table", "json", "csv", "md")
MATCH_FORMATS = ("table", "json", "csv")
_BINARY_FORMATS = ("parquet", "xlsx")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"jixiao: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="jixiao", description="Review performance self-evaluation reports.")
    parser.add_argument(
        "--config", type=Path, help=f"config file (default: ./{DEFAULT_CONFIG_NAME})"
    )
    parser.add_argument("--lang", choices=("zh", "en"), help="language of labels and messages")
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help="read every report again instead of using results cached from earlier runs",
    )
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    ext = sub.add_parser("extract", help="extract figures and projects from reports")
    ext.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="report files or folders")
    ext.add_argument("--format", choices=FORMATS, default="table")
    ext.add_argument("-o", "--output", type=Path, metavar="FILE", help="write to FILE")
    chk = sub.add_parser("check", help="flag the discrepancies in reports, with the arithmetic")
    chk.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="report files or folders")
    chk.add_argument("--format", choices=CHECK_FORMATS, default="table")
    chk.add_argument(
        "--fail-on",
        choices=("error", "warning", "never"),
        default="never",
        help="exit 1 when a finding this severe (or worse) is raised (default: never)",
    )
    chk.add_argument("-o", "--output", type=Path, metavar="FILE", help="write to FILE")
    match = sub.add_parser("match", help="match units and projects across years")
    match.add_argument(
        "paths", nargs="+", type=Path, metavar="PATH", help="report files or folders"
    )
    match.add_argument("--format", choices=MATCH_FORMATS, default="table")
    exp = sub.add_parser("export", help="a review log as a memo (md), a table (csv, xlsx) or json")
    exp.add_argument("log", type=Path, metavar="LOG", help="log folder, its review.toml, or batch")
    exp.add_argument("--format", choices=EXPORT_FORMATS, default="md")
    exp.add_argument("-o", "--output", type=Path, metavar="FILE", help="write to FILE")
    rev = sub.add_parser("review", help="open the workbench on a folder of reports")
    rev.add_argument("folder", type=Path, metavar="DIR", help="the batch folder")
    rev.add_argument(
        "--log", type=Path, metavar="FOLDER", help="review log folder (default: DIR/.jixiao/NAME)"
    )
    mrg = sub.add_parser("merge", help="combine reviewers' logs of a batch, listing conflicts")
    mrg.add_argument("logs", nargs="+", type=Path, metavar="LOG", help="log folders")
    mrg.add_argument("-o", "--output", type=Path, metavar="FOLDER", required=True)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `jixiao` console script."""
    try:
        return _main(argv)
    except BrokenPipeError:
        # Whoever read the output stopped (`jixiao check … | head`): stop quietly, as other
        # tools do, without Python complaining again when it flushes stdout at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_SOME_ERRORS


def _main(argv: Sequence[str] | None) -> int:
    args = build_parser().parse_args(_with_command(list(sys.argv[1:] if argv is None else argv)))
    config_path = args.config
    if config_path is None and Path(DEFAULT_CONFIG_NAME).is_file():
        config_path = Path(DEFAULT_CONFIG_NAME)
    try:
        config = load_config(config_path)
    except ConfigError as exc:
        print(f"jixiao: {exc}", file=sys.stderr)
        return EXIT_USAGE
    lang = args.lang or config.lang
    rules = with_aliases(FIELD_RULES, config.field_aliases, patterns=config.field_patterns)
    if args.command == "extract":
        return _extract(args, replace(config.checks, lang=lang), rules)
    if args.command == "check":
        return _check(args, replace(config.checks, lang=lang), rules)
    if args.command == "match":
        return _match(args, config)
    if args.command == "export":
        return _export(args, config)
    if args.command == "merge":
        return _merge(args, config)
    if args.command == "review":
        return _review(args, config, lang, config_path)
    return EXIT_USAGE  # pragma: no cover - argparse requires a command


_FLAGS = ("-h", "--help", "--no-cache")


def _with_command(argv: list[str]) -> list[str]:
    """`jixiao [options] DIR` means `jixiao [options] review DIR`."""
    i = 0
    while i < len(argv) and argv[i].startswith("-"):
        # A flag, an option=value, or an option and its value.
        i += 1 if "=" in argv[i] or argv[i] in _FLAGS else 2
    if i < len(argv) and argv[i] not in COMMANDS and Path(argv[i]).is_dir():
        return [*argv[:i], "review", *argv[i:]]
    return argv


def _extract(args: argparse.Namespace, checks: CheckConfig, rules: tuple[FieldRule, ...]) -> int:
    from core.cli_batch import write_extract

    lang = checks.lang
    if args.format in _BINARY_FORMATS and args.output is None:
        print(f"jixiao: --format {args.format} needs -o FILE", file=sys.stderr)
        return EXIT_USAGE
    found = find_reports(args.paths)
    _tell_skipped(found.skipped, lang)
    run = _run(args, found, checks, rules)
    width = shutil.get_terminal_size((120, 24)).columns if args.output is None else 120
    if not _written(run, lambda: write_extract(run, args.format, args.output, width=width)):
        return EXIT_SOME_ERRORS
    if args.format != "table":  # the listing already shows them in place
        for problem in run.unreadable:
            _warn(problem)
    missing = [p for p, reason in found.skipped if reason == "no such file or folder"]
    if not found.reports and not found.skipped:
        _warn(_NO_REPORTS[lang])
    return EXIT_SOME_ERRORS if run.unreadable or missing else EXIT_OK


def _check(args: argparse.Namespace, checks: CheckConfig, rules: tuple[FieldRule, ...]) -> int:
    from core.cli_batch import batch_folder, write_check

    lang = checks.lang
    found = find_reports(args.paths)
    _tell_skipped(found.skipped, lang)
    run = _run(args, found, checks, rules, across=batch_folder(args.paths))
    width = shutil.get_terminal_size((120, 24)).columns if args.output is None else 120
    if not _written(run, lambda: write_check(run, args.format, args.output, width=width)):
        return EXIT_SOME_ERRORS
    if args.format != "table":
        for problem in run.unreadable:
            _warn(problem)
    failing = {"error": ("error",), "warning": ("error", "warning"), "never": ()}[args.fail_on]
    unread = run.unreadable or any(
        reason == "no such file or folder" for _, reason in found.skipped
    )
    if unread or run.severities.intersection(failing):
        return EXIT_SOME_ERRORS  # like `extract`: a file that could not be read is a failure
    return EXIT_OK


def _run(
    args: argparse.Namespace,
    found: FoundFiles,
    checks: CheckConfig,
    rules: tuple[FieldRule, ...],
    *,
    across: Path | None = None,
) -> Run:
    """A run of `extract` or `check` over the reports, through the result cache (a private one,
    deleted at exit, with --no-cache or when the user's cannot be opened)."""
    from core.cache import ResultCache
    from core.cli_batch import Progress, Run
    from core.loading import BatchLoader, private_cache

    cache = None if args.no_cache else _open_cache(ResultCache, checks.lang)
    loader = BatchLoader(
        found.reports, rules, checks, cache or private_cache(), real_paths=found.real_paths
    )
    progress = Progress.on(sys.stderr, checks.lang, output=args.output)
    return Run(loader, checks.lang, _warn, progress, across=across)


def _written(run: Run, write: Callable[[], None]) -> bool:
    """Run `write`; False, with a message naming the file, when -o FILE cannot be written."""
    from core.output_file import OutputError

    try:
        write()
    except OutputError as exc:
        run.progress.clear()
        why = "未能写入" if run.lang == "zh" else "cannot write"
        _warn(f"{inert_name(str(exc.path))}: {why} ({exc.why})")
        return False
    finally:
        # Closed here, not whenever the garbage collector gets to it: a cache left open may be
        # checkpointed in the middle of the next command that opens it.
        run.loader.cache.close()
    return True


def _match(args: argparse.Namespace, config: Config) -> int:
    from core import match_output as out
    from core.matching import match_batch

    lang = args.lang or config.lang
    found = find_reports(args.paths)
    _tell_skipped(found.skipped, lang)
    rules = with_aliases(FIELD_RULES, config.field_aliases, patterns=config.field_patterns)
    extractions = [extract(read_report(path), rules) for path in found.reports]
    failed = [ex for ex in extractions if ex.report.error]
    for ex in failed:
        _warn(str(problem_text(ex.report, lang)))
    batch = match_batch(
        [ex for ex in extractions if not ex.report.error],
        unit_threshold=config.unit_threshold,
        score_cutoff=config.project_cutoff,
    )
    if args.format == "json":
        text = json.dumps(out.to_json_data(batch), ensure_ascii=False, indent=2) + "\n"
    elif args.format == "csv":
        text = out.render_csv(batch)
    else:
        width = shutil.get_terminal_size((120, 24)).columns
        text = out.render_table(batch, lang=lang, width=width)
    sys.stdout.write(text)
    missing = [p for p, reason in found.skipped if reason == "no such file or folder"]
    if not found.reports and not found.skipped:
        _warn(_NO_REPORTS[lang])
    return EXIT_SOME_ERRORS if failed or missing else EXIT_OK


def _export(args: argparse.Namespace, config: Config) -> int:
    from core import export
    from core.review_log import find_log
    from core.review_store import ReviewLogError, read_log

    lang = args.lang or config.lang
    if args.format == "xlsx" and args.output is None:
        print("jixiao: --format xlsx needs -o FILE", file=sys.stderr)
        return EXIT_USAGE
    try:
        log = read_log(find_log(args.log))
    except ReviewLogError as exc:
        _warn(("审阅记录无法读取：" if lang == "zh" else "cannot read the review log: ") + str(exc))
        return EXIT_SOME_ERRORS
    if args.output is not None:
        try:
            export.write_export(log, args.format, args.output, lang=lang)
        except OSError as exc:
            why = "未能写入" if lang == "zh" else "cannot write"
            _warn(f"{args.output}: {why} ({exc.strerror})")
            return EXIT_SOME_ERRORS
    else:
        sys.stdout.write(export.export_text(log, args.format, lang=lang))
    return EXIT_OK


def _merge(args: argparse.Namespace, config: Config) -> int:
    from core.review_log import find_log, local_now
    from core.review_merge import (
        MergeTargetError,
        check_target,
        describe_conflict,
        merge_logs,
        remove_merge_leftovers,
        write_log,
    )
    from core.review_store import ReviewLogError, read_log

    lang = args.lang or config.lang
    for path in remove_merge_leftovers(args.output):
        zh, en = "已删除中断的合并留下的临时文件夹", "removed what a killed merge left"
        _warn(f"{zh if lang == 'zh' else en}: {path}")
    try:
        check_target(args.output)  # before reading the logs: a refusal costs nothing
        logs = [read_log(find_log(path)) for path in args.logs]
        result = merge_logs(logs)
        reviewer = "+".join(sorted({log.reviewer for log in logs}))
        write_log(args.output, reviewer, result.reports, at=local_now())
    except MergeTargetError as exc:
        _warn(exc.message(lang))
        return EXIT_SOME_ERRORS
    except ReviewLogError as exc:
        _warn(str(exc))
        return EXIT_SOME_ERRORS
    count = sum(len(r.annotations) for r in result.reports)
    n, c = len(result.reports), len(result.conflicts)
    if lang == "zh":
        print(f"已合并 {len(logs)} 份审阅记录：{n} 份报告，{count} 条批注，{c} 处分歧。")
    else:
        print(f"Merged {len(logs)} logs: {n} reports, {count} annotations, {c} conflicts.")
    for conflict in result.conflicts:
        print(inert(describe_conflict(conflict, lang=lang)))
    return EXIT_OK


def _review(args: argparse.Namespace, config: Config, lang: str, config_path: Path | None) -> int:
    from core.review_log import ReviewLog, default_reviewer
    from core.review_store import ReviewLogError

    folder: Path = args.folder
    if not folder.is_dir():
        _warn(f"{folder}: not a folder")
        return EXIT_USAGE
    try:
        from tui.keymap import check_keymap

        keymap = check_keymap(config.keymap, config_path)
    except ConfigError as exc:
        _warn(str(exc))
        return EXIT_USAGE
    reviewer = config.reviewer or default_reviewer()
    try:
        log = ReviewLog.open(
            folder, reviewer=reviewer, log_path=args.log, undo_depth=config.undo_depth
        )
    except ReviewLogError as exc:
        _warn(("审阅记录无法打开：" if lang == "zh" else "cannot open the review log: ") + str(exc))
        return EXIT_SOME_ERRORS
    from core.cache import ResultCache
    from tui.app import JixiaoApp
    from tui.workbench import Workbench

    cache = None if args.no_cache else _open_cache(ResultCache, lang)
    JixiaoApp(Workbench.open(folder, config, lang, log, cache=cache), keymap=keymap).run()
    return EXIT_OK


def _open_cache(cache_class: type[ResultCache], lang: str) -> ResultCache | None:
    """The user's result cache, or None (results kept for this run only) when it cannot be
    opened: a broken cache costs time, never the review."""
    import sqlite3

    try:
        return cache_class.open()
    except (OSError, sqlite3.Error) as exc:
        _warn(
            (
                "结果缓存无法使用，本次不缓存："
                if lang == "zh"
                else "result cache unusable, not used: "
            )
            + str(exc)
        )
        return None


_NO_REPORTS = {"zh": "没有找到报告文件", "en": "no report files found"}
_NOT_A_REPORT = "not a report file"
LISTED_NON_REPORTS = 20
"""Above this many files that are not reports (pictures, spreadsheets…), they are counted by
suffix instead of named one by one."""


def _tell_skipped(skipped: Sequence[tuple[Path, str]], lang: str) -> None:
    """Each path passed over, with why; many files that are simply not reports, counted."""
    others = [path for path, reason in skipped if reason.startswith(_NOT_A_REPORT)]
    count = len(others) > LISTED_NON_REPORTS
    for path, reason in skipped:
        if not (count and reason.startswith(_NOT_A_REPORT)):
            why, name = translate(reason, lang), inert_name(str(path))
            _warn(f"已跳过 {name}：{why}" if lang == "zh" else f"skipped {name}: {why}")
    if count:
        suffixes = Counter(path.suffix.lower() or "-" for path in others).most_common()
        listed = ", ".join(f"{suffix} {n}" for suffix, n in suffixes[:5])
        more = ", …" if len(suffixes) > 5 else ""
        if lang == "zh":
            _warn(f"已跳过 {len(others)} 个不是报告的文件（{listed}{more}）")
        else:
            _warn(f"skipped {len(others)} files that are not reports ({listed}{more})")


def _warn(message: str) -> None:
    # File names come from the user's disk: they must not act on the terminal.
    print(f"jixiao: {inert(message)}", file=sys.stderr)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
