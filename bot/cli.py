"""``coach``: the command-line face of the coach's core.

Each sub-command is a small function that parses nothing itself: argparse
does that, and bad arguments exit with status 2 and a clear message.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import textwrap
from typing import Callable, Optional, Sequence


def _print_json(value: object) -> None:
    print(json.dumps(value, ensure_ascii=False, indent=None))


# --- suggest / export-outcomes (framework placement and interventions) -------


def cmd_suggest(args: argparse.Namespace) -> int:
    """Place a person on the framework and print suggested interventions as JSON."""
    from bot.engine import suggest, suggestion_as_dict
    from bot.framework import STAFF_GROUPS, Profile, normalise_band, place
    from bot.staff import band_from_text, read_staff_details, staff_group_for

    aspiration = " ".join((args.aspiration or "").split())
    band: Optional[str] = None
    if args.band is not None:
        band = normalise_band(args.band)
        if band is None:
            raise ValueError(
                f"--band {args.band!r} is not an Agenda for Change band: "
                'use 1-7, 8a-8d or 9 (e.g. 5, 8a, "AfC band 3")'
            )
    staff_group: Optional[str] = None
    if args.staff_group is not None:
        # Accept "Nursing", "allied health", "AHP" or a role such as "HCA".
        wanted = "_".join(args.staff_group.strip().lower().replace("-", " ").split())
        staff_group = wanted if wanted in STAFF_GROUPS else staff_group_for(args.staff_group)
        if staff_group is None:
            raise ValueError(f"--staff-group {args.staff_group!r} is not known: use one of {', '.join(STAFF_GROUPS)}")
    role = " ".join((args.role or "").split())
    leads_team = False
    if role:
        # "band 6 physio", "HCA on a surgical ward": the band, staff group and whether they lead a team.
        said = read_staff_details(role)
        band = band or said.band
        staff_group = staff_group or said.staff_group
        leads_team = said.leads_team
    if band is None and aspiration and band_from_text(aspiration) is not None:
        # "I'm a band 5 staff nurse hoping to become a ward manager": take the band
        # (and staff group) from their words, and keep the hope as the aspiration.
        details = read_staff_details(aspiration)
        band = details.band
        staff_group = staff_group or details.staff_group
        aspiration = details.aspiration or aspiration
    profile = Profile(
        band=band,
        staff_group=staff_group,
        growth=args.growth,
        impact=args.impact,
        readiness=args.readiness,
        age=args.age,
        aspiration=aspiration,
        role=role,
        career_stage=args.career_stage,
        leads_team=leads_team,
    )
    placement = place(profile)
    suggestions = suggest(profile, placement, limit=args.limit)
    _print_json(
        {
            "segment": {
                "id": placement.segment.id,
                "name": placement.segment.name,
                "description": placement.segment.description,
            },
            "growth": placement.growth,
            "impact": placement.impact,
            "readiness": placement.readiness,
            "band": profile.band,
            "staff_group": profile.staff_group,
            "explanation": placement.explanation,
            "interventions": [suggestion_as_dict(s) for s in suggestions],
        }
    )
    return 0


def cmd_export_outcomes(args: argparse.Namespace) -> int:
    """Write recorded outcomes as CSV (columns: see ``bot.outcomes``)."""
    from bot.engine import catalogue
    from bot.outcomes import write_outcomes_csv
    from bot.settings import load_settings
    from bot.store import open_store

    store = open_store(args.database_url or load_settings().database_url)
    names = {item.id: item.name for item in catalogue()}
    if args.output == "-":
        count = write_outcomes_csv(store.outcomes(), sys.stdout, names)
    else:
        with open(args.output, "w", encoding="utf-8", newline="") as out:
            count = write_outcomes_csv(store.outcomes(), out, names)
        print(f"wrote {count} outcome(s) to {args.output}", file=sys.stderr)
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    """Write everything held about one person as JSON (a subject access request)."""
    from bot.journey_service import coach_journey
    from bot.privacy import SubjectAccess
    from bot.settings import load_settings
    from bot.store import open_store

    store = open_store(args.database_url or load_settings().database_url)
    if store.held_about(args.person).created_at is None:
        raise ValueError(f"--person {args.person!r}: no such person (use the pseudonymous id, as in the outcomes "
                         "export's person_id column)")
    print(json.dumps(SubjectAccess(store, coach_journey()).export(args.person), ensure_ascii=False, indent=2))
    from bot import audit

    audit.record(store, audit.EXPORTED, audit.ORGANISATION, args.person)
    return 0


# --- analyse-question (manager rehearsal) ------------------------------------


def cmd_analyse_question(args: argparse.Namespace) -> int:
    """Classify coaching questions and print JSON (one line per question on stdin)."""
    from bot.questions import analyse, analysis_as_dict  # imported here: keeps `coach --help` fast

    if args.question is not None:
        if not args.question.strip():
            raise ValueError("the question is empty; give a question to analyse")
        _print_json(analysis_as_dict(analyse(args.question)))
        return 0
    lines = [line.strip() for line in sys.stdin if line.strip()]
    if not lines:
        raise ValueError("no questions on stdin; give one question per line, or pass a question as an argument")
    for line in lines:
        _print_json(analysis_as_dict(analyse(line)))
    return 0


# --- safety-check (signposting and safety) ------------------------------------


def cmd_safety_check(args: argparse.Namespace) -> int:
    """Print the safety assessment of a message as JSON."""
    from bot.safety import assess

    _print_json(assess(args.message).as_dict())
    return 0


def cmd_migrate(args: argparse.Namespace) -> int:
    """Apply the coach's migrations once, before several servers start on a new database at the same time."""
    from bot.settings import load_settings
    from bot.store.repository import open_store

    open_store(args.database_url or load_settings().database_url)
    print("The coach's tables are up to date.")
    return 0


def cmd_documents_purge(args: argparse.Namespace) -> int:
    """Remove expired plan documents and share pages (rows and files), and document files no record owns."""
    from bot.personal_documents import purge
    from bot.settings import load_settings
    from bot.store.repository import open_store

    purged = purge(open_store(args.database_url or load_settings().database_url))
    print(f"Removed {purged.expired} expired document(s) and {purged.unrecorded} file(s) no record owned.")
    return 0


def cmd_audit_purge(args: argparse.Namespace) -> int:
    """Remove audit log entries older than COACH_AUDIT_DAYS (for a scheduled job, and `coach retention run`)."""
    from bot import audit
    from bot.settings import load_settings
    from bot.store.repository import open_store

    settings = load_settings()
    removed = audit.purge(open_store(args.database_url or settings.database_url), settings.audit_days)
    print(f"Removed {removed} audit log entr{'y' if removed == 1 else 'ies'} older than {settings.audit_days} days.")
    return 0


def _moment(text: Optional[str]) -> Optional[dt.datetime]:
    """``--now``: an ISO time (UTC unless it says otherwise), or None for the clock."""
    if text is None:
        return None
    try:
        moment = dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"--now {text!r} is not an ISO date or time, e.g. 2027-01-31 or 2027-01-31T02:30:00Z") \
            from None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)


def cmd_retention_run(args: argparse.Namespace) -> int:
    """Delete everything past its time (counts only are printed, never content)."""
    from bot.retention import Retention, RetentionPolicy
    from bot.settings import load_settings
    from bot.store.repository import open_store

    now = _moment(args.now)
    settings = load_settings()
    store = open_store(args.database_url or settings.database_url)
    removed = Retention(store, RetentionPolicy.from_settings(settings), args.batch_size).run(now, dry_run=args.dry_run)
    print("Past their time (nothing removed: --dry-run):" if args.dry_run else "Removed, past their time:")
    print("\n".join(removed.lines()))
    return 0


def cmd_retention_show(args: argparse.Namespace) -> int:
    """Print the retention policy in force."""
    from bot.retention import RetentionPolicy
    from bot.settings import load_settings

    policy = RetentionPolicy.from_settings(load_settings())
    for what, how_long, setting in policy.table():
        print(f"{what}: {how_long} ({setting})")
    if policy.keep_confirmed_outcomes and policy.confirmed_outcomes_days is None:
        print("Confirmed outcomes are kept after a person's data goes, with no period: set "
              "COACH_KEEP_CONFIRMED_OUTCOMES_DAYS from your organisation's records policy.")
    return 0


def cmd_keys_new(args: argparse.Namespace) -> int:
    """Print a new data key entry, with an id after those of the current keys."""
    from bot.settings import MissingSecret, load_settings
    from bot.store.sealing import load_keyring, new_key_line

    try:
        keyring = load_keyring(load_settings())
    except MissingSecret:
        keyring = None  # the first key
    print(new_key_line(keyring))
    return 0


def cmd_keys_rotate(args: argparse.Namespace) -> int:
    """Reseal every stored value and personal document file with the first data key, in batches, while the coach
    keeps running."""
    from bot.settings import load_settings
    from bot.store.repository import open_store
    from bot.store.rotation import Resealed, not_current, reseal
    from bot.store.sealing import load_keyring

    if args.batch_size < 1:
        raise ValueError(f"--batch-size must be at least 1, not {args.batch_size}")
    settings = load_settings()
    keyring = load_keyring(settings)
    store = open_store(args.database_url or settings.database_url, keyring=keyring)  # checks the keys too

    def progress(step: Resealed) -> None:
        print(f"  {step.where}: {step.resealed} resealed so far", file=sys.stderr)

    print(f"Resealing with the data key {keyring.current_id!r}...")
    documents = settings.documents_dir  # the personal documents' files are sealed with the same keys
    for done in reseal(store.engine, keyring, args.batch_size, progress if args.verbose else None, documents):
        meanwhile = f" ({done.changed_meanwhile} changed by the coach meanwhile)" if done.changed_meanwhile else ""
        print(f"  {done.where}: {done.resealed} resealed{meanwhile}")
    left = {name: count for name, count in not_current(store.engine, keyring, documents).items() if count}
    if left:
        print(f"Still under an older key or unsealed: {', '.join(f'{n} {c}' for n, c in left.items())}. A server "
              f"may still be sealing with an older key: restart every server with {keyring.current_id!r} first "
              "in its keys, then run this again. Keep the older keys until this says they can go.")
        return 1
    older = [key_id for key_id, _ in keyring.keys[1:]]
    print(f"Every stored value and document file is sealed with {keyring.current_id!r}." + (
        f" The older keys ({', '.join(older)}) are no longer needed: remove them from the keys and restart "
        "the servers (keep the backups of the data that were taken while they were in use)." if older else ""))
    return 0


def cmd_content_audit(args: argparse.Namespace) -> int:
    """List content whose checks are stale, unsourced or without a link; exit 1 if there is any."""
    import datetime as dt

    from bot.content_audit import MAX_AGE_DAYS, audit

    today = dt.date.fromisoformat(args.today) if args.today else dt.date.today()
    max_age = MAX_AGE_DAYS if args.max_age_days is None else args.max_age_days
    findings = audit(today, max_age)
    for finding in findings:
        print(finding)
    print(f"{len(findings)} finding(s) on {today.isoformat()} (checks older than {max_age} days count)")
    return 1 if findings else 0


def cmd_content_routes(args: argparse.Namespace) -> int:
    """Print who each intervention is for, and its status, as CSV."""
    from bot.content_audit import routes_table

    sys.stdout.write(routes_table())
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every sub-command."""
    from bot.framework import CAREER_STAGES
    parser = argparse.ArgumentParser(prog="coach", description="Scope for Growth coach tools")
    sub = parser.add_subparsers(dest="command", required=True)

    suggest = sub.add_parser("suggest", help="place on the framework and suggest interventions")
    suggest.add_argument("--json", action="store_true", help="print JSON (the only format for now)")
    suggest.add_argument("--band", help='Agenda for Change band, e.g. "5", "8a", "AfC band 3"')
    suggest.add_argument("--staff-group", default=None, help="staff group, e.g. nursing, support, medical")
    suggest.add_argument("--growth", choices=["consolidate", "depth", "breadth", "stretch"], required=True)
    suggest.add_argument("--impact", choices=["developing", "solid", "strong"], default="solid")
    suggest.add_argument("--readiness", choices=["not_now", "ready_later", "ready_now"], default=None)
    suggest.add_argument("--age", type=int, default=None, help="age in years, if the person chose to say")
    suggest.add_argument("--career-stage", choices=list(CAREER_STAGES), default=None,
                         help="career stage, if the person chose to say")
    suggest.add_argument("--role", default="", help='their role in their own words, e.g. "HCA on a surgical ward"')
    suggest.add_argument("--aspiration", default="", help="the person's aspiration in their own words")
    suggest.add_argument("--limit", type=int, default=5)
    suggest.set_defaults(handler=cmd_suggest)

    from bot.outcomes import COLUMNS  # a light module: `coach --help` stays fast

    export = sub.add_parser(
        "export-outcomes", help="write recorded outcomes as CSV", formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Write recorded outcomes as CSV, one row each, with a header row,\n"
                    "for your HR, workforce or talent team.",
        epilog="columns, in order:\n  " + "\n  ".join(textwrap.wrap(", ".join(COLUMNS), 72)) + "\n\n"
               "The coach does not write to ESR or any other HR system. Which ESR or\n"
               "local field each column goes to is for your organisation to confirm;\n"
               "README.md (\"Outcome export\") says what each column holds and suggests\n"
               "a starting point.")
    export.add_argument("--output", "-o", default="-", help="file to write, or - for stdout")
    export.add_argument("--database-url", default=None, help="database to read (default: $DATABASE_URL or var/)")
    export.set_defaults(handler=cmd_export_outcomes)

    person = sub.add_parser("export", help="write everything held about one person as JSON (subject access)")
    person.add_argument("--person", required=True, help="the person's pseudonymous id")
    person.add_argument("--database-url", default=None, help="database to read (default: $DATABASE_URL or var/)")
    person.set_defaults(handler=cmd_export)

    analyse = sub.add_parser("analyse-question", help="classify a coaching question")
    analyse.add_argument("question", nargs="?", help="the question; omit to read one per line from stdin")
    analyse.set_defaults(handler=cmd_analyse_question)

    migrate = sub.add_parser("migrate", help="bring the database schema up to date (every server start does too)")
    migrate.add_argument("--database-url", default=None, help="database to upgrade (default: $DATABASE_URL or var/)")
    migrate.set_defaults(handler=cmd_migrate)

    documents = sub.add_parser("documents", help="look after plan documents and share links")
    documents_sub = documents.add_subparsers(dest="documents_command", required=True)
    purge = documents_sub.add_parser("purge", help="remove expired documents and share links, and orphaned files")
    purge.add_argument("--database-url", default=None, help="database to read (default: $DATABASE_URL or var/)")
    purge.set_defaults(handler=cmd_documents_purge)

    audit_log = sub.add_parser("audit", help="look after the audit log (who saw or took what, never the words)")
    audit_sub = audit_log.add_subparsers(dest="audit_command", required=True)
    audit_purge = audit_sub.add_parser("purge", help="remove entries older than COACH_AUDIT_DAYS")
    audit_purge.add_argument("--database-url", default=None, help="database to read (default: $DATABASE_URL or var/)")
    audit_purge.set_defaults(handler=cmd_audit_purge)

    retention = sub.add_parser(
        "retention", help="delete what is past its time (see docs/privacy.md, Retention)",
        description="Retention: how long each kind of data is kept (COACH_KEEP_*_DAYS; `coach retention show`), "
                    "and `coach retention run`, daily, to delete what is past its time.")
    retention_sub = retention.add_subparsers(dest="retention_command", required=True)
    run = retention_sub.add_parser("run", help="delete everything past its time, in batches; prints counts only")
    run.add_argument("--dry-run", action="store_true", help="count what is past its time, delete nothing")
    run.add_argument("--now", default=None, help="run as of this ISO time (UTC unless it says); default now")
    run.add_argument("--batch-size", type=int, default=200, help="rows or people per transaction (default 200)")
    run.add_argument("--database-url", default=None, help="database to purge (default: $DATABASE_URL or var/)")
    run.set_defaults(handler=cmd_retention_run)
    show = retention_sub.add_parser("show", help="print how long each kind of data is kept")
    show.set_defaults(handler=cmd_retention_show)
    keys = sub.add_parser(
        "keys", help="the data keys that seal each person's words at rest",
        description="The data keys (COACH_DATA_KEYS or COACH_DATA_KEYS_FILE: id:key entries, newest first) seal "
                    "each person's words in the database and their documents' files. To rotate: put a new key "
                    "first (`coach keys new`), restart the servers, run `coach keys rotate`, then remove the old "
                    "key. See docs/deploy.md.")
    keys_sub = keys.add_subparsers(dest="keys_command", required=True)
    new_key = keys_sub.add_parser("new", help="print a new key entry (id:key) to put first in the keys")
    new_key.set_defaults(handler=cmd_keys_new)
    rotate = keys_sub.add_parser("rotate", help="reseal every stored value and personal document file with the "
                                                "first key, in batches")
    rotate.add_argument("--batch-size", type=int, default=500, help="rows per transaction (default 500)")
    rotate.add_argument("--database-url", default=None, help="database to reseal (default: $DATABASE_URL or var/)")
    rotate.add_argument("--verbose", "-v", action="store_true", help="report progress after every batch")
    rotate.set_defaults(handler=cmd_keys_rotate)

    content = sub.add_parser("content", help="check the content (audit) or print the routes table")
    content_sub = content.add_subparsers(dest="content_command", required=True)
    audit = content_sub.add_parser("audit", help="list stale, unsourced or unlinked content; exit 1 if any")
    audit.add_argument("--max-age-days", type=int, default=None, help="how old a check may be (default a year)")
    audit.add_argument("--today", default=None, help="audit as of this date (YYYY-MM-DD); default today")
    audit.set_defaults(handler=cmd_content_audit)
    routes = content_sub.add_parser("routes", help="print who each intervention is for, and its status, as CSV")
    routes.set_defaults(handler=cmd_content_routes)

    safety = sub.add_parser("safety-check", help="assess a message for risk of harm")
    safety.add_argument("message")
    safety.set_defaults(handler=cmd_safety_check)
    return parser


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Entry point of the ``coach`` console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Callable[[argparse.Namespace], int] = args.handler
    try:
        return handler(args)
    except ValueError as exc:
        print(f"coach: error: {exc}", file=sys.stderr)
        return 2
    except RuntimeError as exc:
        from bot.settings import MissingSecret  # no data keys, or not the ones the data was sealed with

        if not isinstance(exc, MissingSecret):
            raise
        print(f"coach: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
