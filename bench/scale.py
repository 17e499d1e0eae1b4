"""Scale-out: turns/s and p95 of one Rasa replica against two, each in the production profile (deploy/profile.py:
PostgreSQL, Redis, nginx, an action server per replica), on this machine, in one run.

Clients talk REST to the replicas directly, each conversation to one replica in turn, as the edge spreads
them (the edge does not publish REST). Prints figures only; nothing here passes or fails.
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import shutil
import sys
import tempfile
import threading
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench import coach as journal  # noqa: E402
from bench import load  # noqa: E402
from deploy.profile import Profile, free_port  # noqa: E402
from tests.e2e.servers import SCRIPTED_PACE, trained_model  # noqa: E402


def measure(replicas: int, conversations: int, concurrency: int) -> dict[str, float]:
    folder = Path(tempfile.mkdtemp(prefix="coach-scale-bench-")) / "profile"
    profile = Profile(folder, trained_model(), replicas=replicas, public_port=free_port(),
                      env_extra=SCRIPTED_PACE)
    try:
        profile.start()
        ports = itertools.cycle(profile.rasa_ports)
        replica_of: dict[str, int] = {}
        choose = threading.Lock()

        def say(sender: str, text: str) -> object:
            with choose:
                port = replica_of.setdefault(sender, next(ports))
            reply = requests.post(f"http://127.0.0.1:{port}/webhooks/rest/webhook", timeout=120,
                                  json={"sender": sender, "message": text},
                                  headers={"Authorization": f"Bearer {profile.api_token}"})
            reply.raise_for_status()
            return reply.json()

        for port in profile.rasa_ports:  # warm-up: spaCy and the models load on first use in every process
            replica_of[f"warm-up-{port}"] = port
            load.converse(say, f"warm-up-{port}", journal.journal_script(random.Random(0)))
        scripts = [journal.journal_script(random.Random(5000 + i)) for i in range(conversations)]
        return load.run(say, scripts, concurrency, f"scale-{replicas}").figures()
    finally:
        profile.stop()
        shutil.rmtree(folder.parent, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--conversations", type=int, default=40)
    parser.add_argument("--concurrency", type=int, default=20)
    args = parser.parse_args()
    figures = {replicas: measure(replicas, args.conversations, args.concurrency) for replicas in (1, 2)}
    for replicas, found in figures.items():
        print(f"{replicas} replica(s): {found['turns_per_s']} turns/s, p50 {found['p50_ms']} ms, "
              f"p95 {found['p95_ms']} ms, {found['errors']} errors ({found['turns']} turns, "
              f"{args.concurrency} conversations at once)")
    print(f"two replicas against one: {figures[2]['turns_per_s'] / figures[1]['turns_per_s']:.2f}x turns/s, "
          f"{figures[2]['p95_ms'] / figures[1]['p95_ms']:.2f}x p95")
    print(json.dumps({"scale": figures}))


if __name__ == "__main__":
    main()
