"""A coach database holding 100,000 stored conversations, to see whether a turn costs more when it is full.

A part of ``bench/compare.py``. The rows are copies of real ones: the conversations the bench itself just
had with the coach (Rasa's ``events`` rows and the coach's own rows: person, channel identity, answers,
their revisions). Each copy gets a new person and a web, SSO or Teams sender id, is moved to a random time
in the last year, and is cut after a random number of turns (people leave part-way through the journal),
so the copies differ in length. The schema is the one the coach made itself (Alembic migrations and Rasa's
tracker store) in the template database, so the generated file is what a coach of this version would have
after 100,000 conversations.

Generating takes a few minutes, so the file is kept in ``var/bench/`` and reused while the schema and the
number of conversations are unchanged.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
import shutil
import sqlite3
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bot.store.sealing import Keyring  # noqa: E402
from tests.e2e.servers import DATA_KEYS, ROOT  # noqa: E402

CACHE = ROOT / "var" / "bench"
GENERATOR = 1  # bump when the way rows are made changes, so cached files are made again
PERSON_TABLE = "person"
BATCH = 20_000


@dataclass
class Template:
    """One real conversation: its events and the coach's rows about its person, table by table."""

    sender_id: str
    events: list[dict[str, Any]]
    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    @property
    def user_turns(self) -> list[int]:
        return [i for i, e in enumerate(self.events) if e["type_name"] == "user"]


def database(template_db: Path, senders: list[str], conversations: int) -> tuple[Path, dict[str, Any]]:
    """The cached database of ``conversations`` copies (made now from ``senders`` in ``template_db`` if need be)."""
    source = sqlite3.connect(f"file:{template_db}?mode=ro", uri=True)
    schema = _schema(source)
    key = hashlib.sha256(json.dumps([GENERATOR, conversations, schema, _migration(source)]).encode()).hexdigest()[:12]
    target = CACHE / f"coach-{conversations}-{key}.db"
    info_file = target.with_suffix(".json")
    if target.is_file() and info_file.is_file():
        source.close()
        return target, {**json.loads(info_file.read_text()), "reused": True}
    for old in CACHE.glob(f"coach-{conversations}-*.db"):  # made for an older schema
        old.unlink()
        old.with_suffix(".json").unlink(missing_ok=True)
    CACHE.mkdir(parents=True, exist_ok=True)
    print(f"generating {conversations:,} stored conversations into {target} (once; later runs reuse it)...",
          flush=True)
    started = time.perf_counter()
    templates = [_template(source, sender) for sender in senders]
    templates = [t for t in templates if t.user_turns]
    if not templates:
        raise RuntimeError("no template conversations to copy")
    partial = target.with_suffix(".partial")
    partial.unlink(missing_ok=True)
    counts = _generate(source, schema, templates, partial, conversations)
    source.close()
    partial.rename(target)
    info = {"conversations": conversations, "rows": counts, "bytes": target.stat().st_size,
            "templates": len(templates), "generated_seconds": round(time.perf_counter() - started, 1),
            "generated": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")}
    info_file.write_text(json.dumps(info, indent=1) + "\n")
    return target, {**info, "reused": False}


def copy_to(cached: Path, workdir: Path) -> Path:
    """A private copy for one run, so the cached file is never changed by the coach."""
    workdir.mkdir(parents=True, exist_ok=True)
    target = workdir / "coach.db"
    shutil.copyfile(cached, target)
    return target


def stored_senders(db: Path, count: int, seed: int = 7) -> list[str]:
    """Some sender ids of stored (generated) conversations, for people who come back."""
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as connection:
        total = connection.execute("SELECT max(id) FROM channel_identity").fetchone()[0] or 0
        rng = random.Random(seed)
        found: list[str] = []
        while len(found) < count and total:
            row = connection.execute("SELECT sender_id FROM channel_identity WHERE id = ?",
                                     (rng.randint(1, total),)).fetchone()
            if row and row[0] not in found:
                found.append(row[0])
    return found


def _schema(connection: sqlite3.Connection) -> list[tuple[str, str, str]]:
    rows = connection.execute("SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL "
                              "AND name NOT LIKE 'sqlite_%' ORDER BY type DESC, name").fetchall()
    return [(str(t), str(n), str(s)) for t, n, s in rows]


def _migration(connection: sqlite3.Connection) -> list[str]:
    try:
        return [str(r[0]) for r in connection.execute("SELECT version_num FROM alembic_version")]
    except sqlite3.Error:
        return []


def _dicts(cursor: sqlite3.Cursor) -> list[dict[str, Any]]:
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _tables_under_person(connection: sqlite3.Connection) -> list[tuple[str, str, str, str]]:
    """(table, column, parent table, parent column) for every foreign key leading, in steps, to a person."""
    tables = [r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    links = {t: [(str(fk[3]), str(fk[2]), str(fk[4])) for fk in connection.execute(f'PRAGMA foreign_key_list("{t}")')]
             for t in tables}
    found: list[tuple[str, str, str, str]] = []
    reached = {PERSON_TABLE}
    grew = True
    while grew:
        grew = False
        for table, keys in links.items():
            if table in reached:
                continue
            for column, parent, parent_column in keys:
                if parent in reached:
                    found.append((table, column, parent, parent_column))
                    reached.add(table)
                    grew = True
                    break
    return found


def _template(connection: sqlite3.Connection, sender: str) -> Template:
    events = _dicts(connection.execute("SELECT * FROM events WHERE sender_id = ? ORDER BY id", (sender,)))
    template = Template(sender, events)
    person = connection.execute("SELECT person_id FROM channel_identity WHERE sender_id = ?", (sender,)).fetchone()
    if person is None:
        return template
    template.rows[PERSON_TABLE] = _dicts(connection.execute(f'SELECT * FROM "{PERSON_TABLE}" WHERE id = ?',
                                                            (person[0],)))
    for table, column, parent, parent_column in _tables_under_person(connection):
        keys = [row[parent_column] for row in template.rows.get(parent, [])]
        marks = ",".join("?" * len(keys))
        template.rows[table] = (_dicts(connection.execute(f'SELECT * FROM "{table}" WHERE "{column}" IN ({marks})',
                                                          keys)) if keys else [])
    return template


def _generate(source: sqlite3.Connection, schema: list[tuple[str, str, str]], templates: list[Template],
              target: Path, conversations: int) -> dict[str, int]:
    out = sqlite3.connect(target)
    out.execute("PRAGMA journal_mode = OFF")
    out.execute("PRAGMA synchronous = OFF")
    for kind, _name, sql in schema:
        if kind == "table":
            out.execute(sql)
    versions = _migration(source)
    if versions:
        out.executemany("INSERT INTO alembic_version VALUES (?)", [(v,) for v in versions])
    chain = _tables_under_person(source)
    parents = {table: (column, parent, parent_column) for table, column, parent, parent_column in chain}
    order = [PERSON_TABLE, *[t for t, *_ in chain]]
    date_columns = {t: _date_columns(source, t) for t in order}
    integer_keys = {t: _integer_key(source, t) for t in order}
    next_id = {t: 1 for t in order}
    pending: dict[str, list[dict[str, Any]]] = {t: [] for t in order}
    pending_events: list[tuple[Any, ...]] = []
    counts = {t: 0 for t in ["events", *order]}
    rng = random.Random(100_000)
    now = time.time()
    keys = Keyring.parse(DATA_KEYS)  # the events' data is sealed with the test servers' key

    def flush(force: bool = False) -> None:
        if pending_events and (force or len(pending_events) >= BATCH):
            out.executemany("INSERT INTO events (sender_id, type_name, timestamp, intent_name, action_name, data) "
                            "VALUES (?, ?, ?, ?, ?, ?)", pending_events)
            counts["events"] += len(pending_events)
            pending_events.clear()
        for table, rows in pending.items():
            if rows and (force or len(rows) >= BATCH):
                columns = list(rows[0])
                names = ", ".join(f'"{c}"' for c in columns)
                out.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({", ".join("?" * len(columns))})',
                                [tuple(r[c] for c in columns) for r in rows])
                counts[table] += len(rows)
                rows.clear()

    for n in range(conversations):
        template = templates[n % len(templates)]
        turns = template.user_turns
        kept = rng.randint(1, len(turns))
        end = turns[kept] if kept < len(turns) else len(template.events)
        events = template.events[:end]
        shift = (now - rng.uniform(3600, 365 * 86400)) - events[0]["timestamp"]
        cutoff = dt.datetime.utcfromtimestamp(events[-1]["timestamp"])
        sender = _sender(rng)
        for event in events:
            stamp = event["timestamp"] + shift
            pending_events.append((
                sender, event["type_name"], stamp, event["intent_name"], event["action_name"],
                keys.seal(keys.open(event["data"]).replace(f'"timestamp": {event["timestamp"]!r}',
                                                          f'"timestamp": {stamp!r}', 1)),
            ))
        new_keys: dict[str, dict[Any, Any]] = {t: {} for t in order}
        for table in order:
            for row in template.rows.get(table, []):
                if any(row[c] is not None and str(row[c]) > str(cutoff) for c in date_columns[table]
                       if date_columns[table][c] == "DATETIME"):
                    continue  # written after this copy's last turn
                copy = dict(row)
                key = integer_keys[table]
                if table == PERSON_TABLE:
                    copy["id"] = uuid.UUID(int=rng.getrandbits(128)).hex
                    new_keys[table][row["id"]] = copy["id"]
                elif key:
                    copy[key] = next_id[table]
                    new_keys[table][row[key]] = next_id[table]
                    next_id[table] += 1
                if table in parents:
                    column, parent, _ = parents[table]
                    if row[column] not in new_keys[parent]:
                        continue
                    copy[column] = new_keys[parent][row[column]]
                if "sender_id" in copy:
                    copy["sender_id"] = sender
                for column, kind in date_columns[table].items():
                    copy[column] = _shifted(copy[column], kind, shift)
                pending[table].append(copy)
        flush()
    flush(force=True)
    out.commit()
    for kind, _name, sql in schema:
        if kind == "index":
            out.execute(sql)
    out.commit()
    out.close()
    return counts


def _date_columns(connection: sqlite3.Connection, table: str) -> dict[str, str]:
    kinds = {str(c[1]): str(c[2]).upper() for c in connection.execute(f'PRAGMA table_info("{table}")')}
    return {name: kind for name, kind in kinds.items() if kind in ("DATETIME", "DATE")}


def _integer_key(connection: sqlite3.Connection, table: str) -> str | None:
    for column in connection.execute(f'PRAGMA table_info("{table}")'):
        if column[5] == 1 and str(column[2]).upper() == "INTEGER":
            return str(column[1])
    return None


def _shifted(value: Any, kind: str, shift: float) -> Any:
    if value is None:
        return None
    if kind == "DATE":
        return (dt.date.fromisoformat(str(value)) + dt.timedelta(seconds=shift)).isoformat()
    moved = dt.datetime.fromisoformat(str(value)) + dt.timedelta(seconds=shift)
    return moved.strftime("%Y-%m-%d %H:%M:%S.%f")


def _sender(rng: random.Random) -> str:
    """A sender id as the channels make them: web sessions, single sign-on (web or Teams), Teams."""
    share = rng.random()
    made = uuid.UUID(int=rng.getrandbits(128))
    if share < 0.6:
        return f"web:{made.hex}"
    if share < 0.9:
        return f"sso:{made}"
    return f"teams:{made}"

