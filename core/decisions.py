"""A reviewer's verdicts as the workbench records them: one annotation per subject, updated when
the reviewer changes their mind, and the project-pair verdicts the matcher obeys."""

from __future__ import annotations

from core.matching import PairDecision
from core.models import Figure, Finding
from core.review import Annotation, ReportState, Target
from core.review_log import ReviewLog

PAIR_ACCEPTED, PAIR_REJECTED = "confirmed", "false_positive"
"""Annotation statuses that confirm or reject a project pair."""


def annotation_on(state: ReportState, target: Target, *, quote: str = "") -> Annotation | None:
    """The latest annotation on a subject (a span is its quote), or None."""
    found = [
        a
        for a in state.annotations
        if a.target == target and (target.kind != "span" or a.quote == quote)
    ]
    return found[-1] if found else None


def decide_finding(
    log: ReviewLog, key: str, finding: Finding, status: str, *, text: str, note: str | None = None
) -> Annotation:
    """Record a verdict on a finding: a new annotation with its arithmetic, or the change of the
    one already there."""
    target = Target("finding", check=finding.check, finding=finding.key)
    current = annotation_on(log.state(key), target)
    if current is not None:
        return log.update(key, current.id, status=status, note=note)
    annotation = Annotation.from_finding(
        finding, status=status, author=log.reviewer, at=log.now(), note=note or "", text=text
    )
    return log.add(key, annotation)


def decide_figure(
    log: ReviewLog, key: str, figure: Figure, status: str, *, severity: str, note: str | None = None
) -> Annotation:
    """Record a verdict on a figure, anchored at its quote."""
    target = Target("field", field=figure.field)
    current = annotation_on(log.state(key), target)
    if current is not None:
        return log.update(key, current.id, status=status, note=note)
    return _add(log, key, target, status, severity, note, figure.quote, figure.start, figure.end)


def decide_span(
    log: ReviewLog,
    key: str,
    text: str,
    start: int,
    end: int,
    status: str,
    *,
    severity: str,
    note: str | None = None,
) -> Annotation:
    """Record a verdict on a span of the report's text (a 漏报 is one)."""
    target = Target("span")
    quote = text[start:end]
    current = annotation_on(log.state(key), target, quote=quote)
    if current is not None and current.start == start:
        return log.update(key, current.id, status=status, note=note)
    return _add(log, key, target, status, severity, note, quote, start, end)


def _add(
    log: ReviewLog,
    key: str,
    target: Target,
    status: str,
    severity: str,
    note: str | None,
    quote: str,
    start: int,
    end: int,
) -> Annotation:
    annotation = Annotation.create(
        target,
        status=status,
        severity=severity,
        author=log.reviewer,
        at=log.now(),
        note=note or "",
        quote=quote,
        start=start,
        end=end,
    )
    return log.add(key, annotation)


def decide_pair(
    log: ReviewLog, key: str, old_name: str, new_name: str, *, accepted: bool
) -> Annotation:
    """Confirm (accepted) or reject a pairing of last year's project with this year's."""
    target = Target("projects", old_project=old_name, new_project=new_name)
    status = PAIR_ACCEPTED if accepted else PAIR_REJECTED
    current = annotation_on(log.state(key), target)
    if current is not None:
        return log.update(key, current.id, status=status)
    annotation = Annotation.create(
        target, status=status, severity="info", author=log.reviewer, at=log.now()
    )
    return log.add(key, annotation)


def pair_decisions(state: ReportState) -> tuple[PairDecision, ...]:
    """The project-pair verdicts of a report (the later year's), for `match_projects`."""
    decisions = []
    for a in state.annotations:
        if a.target.kind == "projects" and a.status in (PAIR_ACCEPTED, PAIR_REJECTED):
            accepted = a.status == PAIR_ACCEPTED
            decisions.append(
                PairDecision(a.target.old_project, a.target.new_project, accepted=accepted)
            )
    return tuple(decisions)


def next_severity(annotation: Annotation) -> str:
    """The severity after an annotation's, cycling error → warning → info → error."""
    order = ("error", "warning", "info")
    return order[(order.index(annotation.severity) + 1) % len(order)]
