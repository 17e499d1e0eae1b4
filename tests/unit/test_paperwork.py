"""The paperwork a trust reads (data flows, DPIA, DTAC evidence, security) names real tests and files, and the
claims it makes that no other test covers are checked here."""

from __future__ import annotations

import ast
import json
import re
import shutil
import subprocess
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
PAPERWORK = ["docs/data-flows.md", "docs/dpia.md", "docs/dtac-evidence.md", "docs/security.md", "docs/privacy.md"]
# A repository path in backticks, optionally with ::name (a test, function or class in it), e.g.
# `tests/unit/test_sealing.py::test_without_data_keys_neither_store_starts` or `bot/channels/limits.py::SharedPace`.
REFERENCE = re.compile(r"`((?:tests|bot|actions|deploy|scripts|bench)/[\w./-]+?)(?:::(\w+))?`")


@cache
def names_defined_in(path: Path) -> frozenset[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return frozenset(node.name for node in ast.walk(tree)
                     if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)))


def references(doc: str) -> list[tuple[str, str | None]]:
    return REFERENCE.findall((ROOT / doc).read_text(encoding="utf-8"))


def table_rows(doc: str) -> list[tuple[list[str], list[str]]]:
    """(header, row) for every row of every Markdown table in ``doc``."""
    rows: list[tuple[list[str], list[str]]] = []
    header: list[str] = []
    for line in (ROOT / doc).read_text(encoding="utf-8").splitlines():
        if not line.startswith("|"):
            header = []
            continue
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if not header:
            header = [cell.lower() for cell in cells]
        elif not set("".join(cells)) <= set("-: "):
            rows.append((header, cells))
    return rows


@pytest.mark.parametrize("doc", PAPERWORK)
def test_every_test_and_file_the_paperwork_names_exists(doc: str) -> None:
    found = references(doc)
    assert found, f"{doc} names no test or file"
    missing = []
    for path, name in found:
        target = ROOT / path
        if not target.exists():
            missing.append(path)
        elif name and target.suffix == ".py" and name not in names_defined_in(target):
            missing.append(f"{path}::{name}")
    assert not missing, f"{doc} names what does not exist: {missing}"


@pytest.mark.parametrize("doc", ["docs/data-flows.md", "docs/dpia.md", "docs/dtac-evidence.md", "docs/security.md"])
def test_every_claim_in_an_evidence_table_names_a_test(doc: str) -> None:
    unproven = []
    for header, row in table_rows(doc):
        for column in ("test", "evidence", "tests"):
            if column in header and not re.search(r"`tests/[\w/]+\.py", row[header.index(column)]):
                unproven.append(row[0])
    assert not unproven, f"rows of {doc} whose claim names no test: {unproven}"


def test_the_dtac_list_covers_each_area() -> None:
    text = (ROOT / "docs/dtac-evidence.md").read_text(encoding="utf-8").lower()
    for area in ("clinical safety", "data protection", "technical security", "interoperability",
                 "usability and accessibility"):
        assert f"## {area}" in text, area


def test_the_readme_and_the_privacy_page_lead_to_the_paperwork() -> None:
    for page in ("README.md", "docs/privacy.md"):
        text = (ROOT / page).read_text(encoding="utf-8")
        for doc in ("data-flows.md", "dpia.md", "dtac-evidence.md", "security.md"):
            assert doc in text, f"{page} does not link {doc}"


def test_the_advisory_triage_covers_every_direct_dependency_at_its_pinned_version() -> None:
    import tomli  # in the lock (mypy and pytest bring it); Python 3.10 has no tomllib

    pins = tomli.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    triage = {row[0].strip("`").lower(): row[1].strip("`") for header, row in table_rows("docs/security.md")
              if header[:2] == ["package", "pinned"]}
    for pin in pins:
        name, version = pin.split("==")
        assert triage.get(name.lower()) == version, f"docs/security.md does not triage {pin}"


# --- what leaves the trust -----------------------------------------------------------------------------------------


def test_rasa_usage_reports_are_off_wherever_the_coach_starts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os
    import pwd

    from deploy import profile

    # Rasa Open Source reports usage (Segment) and errors (Sentry) to its maker unless this is "false".
    assert re.search(r"^export RASA_TELEMETRY_ENABLED := false$", (ROOT / "Makefile").read_text(), re.M)
    assert re.search(r"^export RASA_TELEMETRY_ENABLED=false$", (ROOT / "scripts/run.sh").read_text(), re.M)
    monkeypatch.setattr(profile, "service_account", lambda: pwd.getpwuid(os.geteuid()))
    assert profile.Profile(tmp_path, tmp_path / "m").environment()["RASA_TELEMETRY_ENABLED"] == "false"
    config = yaml.safe_load((ROOT / "deploy/kubernetes/configmap.yaml").read_text())
    assert config["data"]["RASA_TELEMETRY_ENABLED"] == "false"


HTTP_CLIENTS = {"aiohttp", "requests", "httpx", "urllib3", "http.client", "urllib.request", "socket", "smtplib"}


def test_only_the_teams_channel_calls_out() -> None:
    callers = set()
    for folder in ("bot", "actions"):
        for path in (ROOT / folder).rglob("*.py"):
            if "node_modules" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                modules = ([alias.name for alias in node.names] if isinstance(node, ast.Import)
                           else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
                if any(module in HTTP_CLIENTS or module.split(".")[0] in HTTP_CLIENTS for module in modules):
                    callers.add(str(path.relative_to(ROOT)))
    # Redis (the turn lock and the pace) is reached through redis-py, on loopback or the private network.
    assert callers == {"bot/channels/teams.py"}


# --- Redis holds no words ------------------------------------------------------------------------------------------


async def _everything_in(redis_url: str) -> dict[str, Any]:
    """Every key in Redis with its value, whatever its type."""
    import redis.asyncio as aioredis

    client = aioredis.from_url(redis_url)
    held: dict[str, Any] = {}
    for key in await client.keys("*"):
        kind = (await client.type(key)).decode()
        if kind == "string":
            held[key.decode()] = await client.get(key)
        elif kind == "hash":
            held[key.decode()] = await client.hgetall(key)
        else:
            held[key.decode()] = await client.zrange(key, 0, -1, withscores=True)
    await client.close()
    return held


@pytest.mark.scale
async def test_redis_holds_no_words_only_turn_tickets_and_hashed_pace_counts(redis_url: str) -> None:
    from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

    from bot.channels.limits import guard_messages
    from bot.channels.lock_store import RedisTurnLockStore
    from bot.settings import load_settings

    sender, words = "web:3f2a9c", "my manager zebracrossing never listens"
    lock_store = RedisTurnLockStore(url=redis_url)
    seen: dict[str, Any] = {}

    async def turn(message: UserMessage) -> None:
        async with lock_store.lock(message.sender_id):
            seen.update(await _everything_in(redis_url))  # mid-turn: the lock and the pace are both held

    guarded = guard_messages(turn, load_settings({"COACH_REDIS_URL": redis_url}))
    await guarded(UserMessage(words, CollectingOutputChannel(), sender))

    assert seen and all(key.startswith(("coach:turn:", "coach:pace:")) for key in seen), list(seen)
    dump = json.dumps({key: repr(value) for key, value in seen.items()})
    assert "zebracrossing" not in dump and "manager" not in dump
    pace_keys = [key for key in seen if key.startswith("coach:pace:")]
    assert pace_keys and not any(sender in key for key in pace_keys)


# --- the SBOM ------------------------------------------------------------------------------------------------------


def test_make_sbom_writes_a_cyclonedx_file_under_var_sbom() -> None:
    make = shutil.which("make")
    if make is None:
        pytest.skip("make is not installed")
    plan = subprocess.run([make, "-n", "-o", ".venv/.deps-stamp", "-o", "bot/web/node_modules/.stamp", "sbom"],
                          cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert "cyclonedx-py environment" in plan and "--of JSON" in plan and "var/sbom/coach.cdx.json" in plan


def test_an_sbom_made_here_lists_the_pinned_packages() -> None:
    sbom = ROOT / "var/sbom/coach.cdx.json"
    if not sbom.exists() or sbom.stat().st_mtime < (ROOT / "requirements.lock").stat().st_mtime:
        pytest.skip("no SBOM made since the pins changed: `make sbom` (it installs cyclonedx-bom into var/tools)")
    document = json.loads(sbom.read_text(encoding="utf-8"))
    assert document["bomFormat"] == "CycloneDX"
    versions = {component["name"].lower(): component["version"] for component in document["components"]}
    assert versions["python-socketio"] == "5.16.3" and versions["rasa"] == "3.6.21"
