"""The production profile on one machine: nginx as the only public entry point, Rasa replicas, action servers,
PostgreSQL and Redis, all from Debian packages, in one folder of their own.

``make prod`` runs ``python -m deploy.profile`` (servers stay up until Ctrl-C); the scale tests start the same
profile in a temporary folder. Only nginx listens on a public port (TLS); everything else is on loopback, and
PostgreSQL and Redis on Unix sockets in the folder, which only the service user can open.

Run as root, every server runs as the unprivileged ``scope-coach`` user (created if missing), and the folder is
private to it. Run as anyone else, they run as that user.
"""

from __future__ import annotations

import argparse
import base64
import glob
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional

import requests

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"
SERVICE_USER = "scope-coach"
EDGE_TEMPLATE = ROOT / "deploy" / "nginx.conf"
FOLDERS = ("home", "logs", "documents", "redis", "edge")
PG_PORT = 5432  # PostgreSQL listens on a Unix socket in the profile's folder: the number only names it
START_TIMEOUT = 420.0  # Rasa replicas load TensorFlow and the model side by side: minutes on 2 cores


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def system_binary(name: str, *extra_dirs: str) -> str:
    found = shutil.which(name, path=os.pathsep.join([os.environ.get("PATH", ""), *extra_dirs]))
    if found is None:
        raise RuntimeError(f"{name} is not installed: scripts/system-packages.sh installs it")
    return found


def _postgres_bin() -> str:
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name))
    return versions[-1] if versions else ""


def service_account() -> pwd.struct_passwd:
    """The account the servers run as: ``scope-coach`` when started by root (never root itself)."""
    if os.geteuid() != 0:
        return pwd.getpwuid(os.geteuid())
    try:
        return pwd.getpwnam(SERVICE_USER)
    except KeyError:
        subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", SERVICE_USER],
                       check=True)
        return pwd.getpwnam(SERVICE_USER)


def let_service_user_in(account: pwd.struct_passwd, paths: List[Path]) -> List[Path]:
    """Grant ``account`` search permission (x, not read) on the folders above ``paths`` that others may not enter,
    with an ACL for that account alone: Python may live under /root (pyenv), which is private to root.
    Returns the folders it opened."""
    opened: List[Path] = []
    for path in paths:
        reachable = subprocess.run(["test", "-e", os.path.realpath(path)], user=account.pw_uid,
                                   group=account.pw_gid, extra_groups=[])
        if reachable.returncode == 0:
            continue
        for folder in reversed(Path(os.path.realpath(path)).parents):
            if folder.stat().st_mode & 0o001 or folder in opened:
                continue
            subprocess.run([system_binary("setfacl"), "-m", f"u:{account.pw_name}:x", str(folder)], check=True)
            opened.append(folder)
    return opened


def certificate_command(certificate: Path, key: Path, days: int) -> List[str]:
    """openssl's command for a self-signed certificate for localhost and 127.0.0.1 (never to be published)."""
    return ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", str(days), "-subj", "/CN=localhost",
            "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost", "-keyout", str(key), "-out", str(certificate)]


def render_edge(**values: str) -> str:
    """deploy/nginx.conf with every ``{{name}}`` filled in."""
    text = EDGE_TEMPLATE.read_text()
    for name, value in values.items():
        text = text.replace("{{" + name + "}}", value)
    if "{{" in text:
        raise ValueError("a placeholder in deploy/nginx.conf was left unfilled")
    return text


@dataclass
class Profile:
    """Every server of the production profile, in ``folder``, published on https://127.0.0.1:``public_port``."""

    folder: Path
    model: Path
    replicas: int = 2
    public_port: int = 8443
    listen: str = ""  # default 127.0.0.1:public_port; 0.0.0.0:443 (as root) for a real deployment
    public_url: str = ""  # the address people reach the edge at (document links, chat origin); default url
    env_extra: Dict[str, str] = field(default_factory=dict)
    rasa_ports: List[int] = field(default_factory=list)
    actions_ports: List[int] = field(default_factory=list)
    actions_listen: int = 0
    processes: Dict[str, subprocess.Popen] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.account = service_account()
        self.pg_bin = _postgres_bin()

    # -- where things are -------------------------------------------------------------------------------------
    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.public_port}"

    @property
    def address(self) -> str:
        """Where people reach the edge: ``public_url``, else the loopback ``url``."""
        return self.public_url or self.url

    @property
    def database_url(self) -> str:
        return f"postgresql+psycopg2://coach@/coach?host={self.folder / 'postgres'}&port={PG_PORT}"

    @property
    def redis_url(self) -> str:
        return f"unix://{self.folder / 'redis' / 'redis.sock'}?db=0"

    @property
    def api_token(self) -> str:
        return self._secret("api-token")

    def environment(self) -> Dict[str, str]:
        env = {key: value for key, value in os.environ.items() if not key.startswith(("COACH_", "DATABASE_URL"))}
        env.update({
            "HOME": str(self.folder / "home"),
            "DATABASE_URL": self.database_url,
            "COACH_REDIS_URL": self.redis_url,
            "COACH_ACTIONS_URL": f"http://127.0.0.1:{self.actions_listen}/webhook",  # the edge's loopback side
            "COACH_TOKEN_SECRET": self._secret("token-secret"),
            "COACH_API_TOKEN": self.api_token,
            "COACH_DATA_KEYS_FILE": str(self._data_keys()),
            "COACH_PUBLIC_URL": self.address,
            "COACH_DOCUMENTS_DIR": str(self.folder / "documents"),
            "TF_CPP_MIN_LOG_LEVEL": "2",
            "SANIC_HOST": "127.0.0.1",
            "RASA_TELEMETRY_ENABLED": "false",  # Rasa's usage reports and error reports would leave the trust
        })
        env.update(self.env_extra)
        return env

    # -- starting and stopping ---------------------------------------------------------------------------------
    def start(self) -> Profile:
        try:
            self._prepare_folder()
            self.start_postgres()
            self.start_redis()
            self._run([str(VENV_BIN / "coach"), "migrate"])
            self._run([str(VENV_BIN / "python"), "-m", "bot.channels.tracker_store"])
            self.actions_ports = [free_port() for _ in range(self.replicas)]
            self.rasa_ports = [free_port() for _ in range(self.replicas)]
            self.actions_listen = free_port()
            for i in range(self.replicas):
                self.start_actions(i)
                self.start_rasa(i)
            self.start_edge()
            for i in range(self.replicas):
                self.wait_for_rasa(i)
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        for name in reversed(list(self.processes)):
            self._stop(name)
        self.stop_postgres()

    def _prepare_folder(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        for sub in FOLDERS:
            (self.folder / sub).mkdir(mode=0o700, exist_ok=True)
        # Only what root made here: everything inside is written by the service user's own servers.
        for path in [self.folder, *(self.folder / sub for sub in FOLDERS)]:
            os.chown(path, self.account.pw_uid, self.account.pw_gid)
        os.chmod(self.folder, 0o700)
        if os.geteuid() == 0:
            for folder in let_service_user_in(self.account, [VENV_BIN / "python", ROOT / "actions", self.model,
                                                             self.folder]):
                print(f"Let {self.account.pw_name} pass through {folder} (search permission only) to reach Python, "
                      "the coach and the profile's folder", file=sys.stderr)
        for name in ("token-secret", "api-token"):
            self._secret(name)
        self._data_keys()

    def _secret(self, name: str) -> str:
        path = self.folder / name
        if not path.exists():
            path.write_text(secrets.token_urlsafe(48))
            os.chmod(path, 0o600)
            os.chown(path, self.account.pw_uid, self.account.pw_gid)
        return path.read_text().strip()

    def _data_keys(self) -> Path:
        """The file of data keys (``k1:<key>``, newest first), made once: rotating means editing this file."""
        path = self.folder / "data-keys"
        if not path.exists():
            path.write_text(f"k1:{base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()}\n")
            os.chmod(path, 0o600)
            os.chown(path, self.account.pw_uid, self.account.pw_gid)
        return path

    def _spawn(self, name: str, command: List[str]) -> subprocess.Popen:
        log = open(self.folder / "logs" / f"{name}.log", "ab")  # noqa: SIM115 - the child keeps its own handle
        try:
            process = subprocess.Popen(command, cwd=ROOT, env=self.environment(), stdout=log,
                                       stderr=subprocess.STDOUT, umask=0o077, start_new_session=True,
                                       **self._as_service_user())
        finally:
            log.close()
        self.processes[name] = process
        return process

    def _run(self, command: List[str]) -> None:
        done = subprocess.run(command, cwd=ROOT, env=self.environment(), capture_output=True, text=True,
                              umask=0o077, **self._as_service_user())
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(command)} failed:\n{done.stdout}{done.stderr}")

    def _as_service_user(self) -> Dict[str, Any]:
        """Popen's arguments that drop root for the service user (none when not root)."""
        if os.geteuid() != 0:
            return {}
        return {"user": self.account.pw_uid, "group": self.account.pw_gid, "extra_groups": []}

    def _stop(self, name: str, how: int = signal.SIGTERM) -> None:
        process = self.processes.pop(name, None)
        if process is None:
            return
        if process.poll() is None:
            process.send_signal(how)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)

    # -- PostgreSQL --------------------------------------------------------------------------------------------
    def start_postgres(self) -> None:
        data = self.folder / "postgres"
        if not (data / "PG_VERSION").exists():
            self._run([f"{self.pg_bin}/initdb", "-D", str(data), "-A", "trust", "-U", "coach", "--no-sync",
                       "-E", "UTF8", "--locale", "C"])
        # Unix socket only (listen_addresses empty): the folder's permissions decide who may connect.
        self._run([f"{self.pg_bin}/pg_ctl", "-D", str(data), "-l", str(self.folder / "logs" / "postgres.log"),
                   "-w", "-o", f"-k {data} -p {PG_PORT} -c listen_addresses=''", "start"])
        exists = subprocess.run([f"{self.pg_bin}/psql", "-h", str(data), "-p", str(PG_PORT), "-U", "coach",
                                 "-d", "postgres", "-tAc", "SELECT 1 FROM pg_database WHERE datname = 'coach'"],
                                capture_output=True, text=True, **self._as_service_user())
        if exists.stdout.strip() != "1":
            self._run([f"{self.pg_bin}/createdb", "-h", str(data), "-p", str(PG_PORT), "-U", "coach", "coach"])

    def stop_postgres(self, mode: str = "fast") -> None:
        data = self.folder / "postgres"
        if (data / "postmaster.pid").exists():
            subprocess.run([f"{self.pg_bin}/pg_ctl", "-D", str(data), "-m", mode, "-w", "stop"],
                           capture_output=True, **self._as_service_user())

    def restart_postgres(self) -> None:
        self.stop_postgres()
        self.start_postgres()

    # -- Redis -------------------------------------------------------------------------------------------------
    def start_redis(self) -> None:
        folder = self.folder / "redis"
        self._spawn("redis", [system_binary("redis-server", "/usr/sbin"), "--port", "0",
                              "--unixsocket", str(folder / "redis.sock"), "--unixsocketperm", "700",
                              "--dir", str(folder), "--save", "", "--appendonly", "no"])
        self._wait(lambda: (folder / "redis.sock").exists(), "Redis", "redis")

    def stop_redis(self) -> None:
        self._stop("redis")

    # -- the coach ---------------------------------------------------------------------------------------------
    def start_actions(self, i: int) -> None:
        self._spawn(f"actions-{i}", [str(VENV_BIN / "python"), "-m", "actions", "-p",
                                     str(self.actions_ports[i])])

    def start_rasa(self, i: int) -> None:
        self._spawn(f"rasa-{i}", [str(VENV_BIN / "python"), "-m", "bot.channels.server", "run", "--model",
                                  str(self.model), "--enable-api", "-i", "127.0.0.1", "-p", str(self.rasa_ports[i]),
                                  "--credentials", str(ROOT / "credentials.yml"),
                                  "--endpoints", str(ROOT / "deploy" / "endpoints.yml"),
                                  f"--auth-token={self.api_token}"])

    def kill_rasa(self, i: int) -> None:
        """Kill a Rasa replica, as a crash would."""
        self._stop(f"rasa-{i}", signal.SIGKILL)

    def stall_rasa(self, i: int, seconds: float) -> None:
        """Freeze a Rasa replica for ``seconds``, as an overloaded machine or a paused virtual machine would."""
        process = self.processes[f"rasa-{i}"]
        process.send_signal(signal.SIGSTOP)
        try:
            time.sleep(seconds)
        finally:
            process.send_signal(signal.SIGCONT)

    def kill_actions(self, i: int) -> None:
        self._stop(f"actions-{i}", signal.SIGKILL)

    def wait_for_rasa(self, i: int) -> None:
        url = f"http://127.0.0.1:{self.rasa_ports[i]}/status"
        self._wait(lambda: _answers(url, {"token": self.api_token}), f"Rasa replica {i}", f"rasa-{i}")

    def wait_for_actions(self, i: int) -> None:
        url = f"http://127.0.0.1:{self.actions_ports[i]}/health"
        self._wait(lambda: _answers(url), f"action server {i}", f"actions-{i}")

    # -- the edge ----------------------------------------------------------------------------------------------
    def start_edge(self) -> None:
        folder = self.folder / "edge"
        certificate, key = folder / "edge.crt", folder / "edge.key"
        if not certificate.exists():
            self._run(certificate_command(certificate, key, days=365))
        (folder / "nginx.conf").write_text(render_edge(
            prefix=str(folder), listen=self.listen or f"127.0.0.1:{self.public_port}",
            coach_servers=" ".join(f"server 127.0.0.1:{port};" for port in self.rasa_ports),
            action_servers=" ".join(f"server 127.0.0.1:{port} max_fails=0;" for port in self.actions_ports),
            actions_listen=f"127.0.0.1:{self.actions_listen}", certificate=str(certificate),
            certificate_key=str(key)))
        self._spawn("edge", [system_binary("nginx", "/usr/sbin"), "-p", str(folder), "-e", str(folder / "error.log"),
                             "-c", str(folder / "nginx.conf"), "-g", "daemon off;"])
        self._wait(lambda: _listening(self.public_port), "nginx", "edge")

    @property
    def certificate(self) -> Path:
        return self.folder / "edge" / "edge.crt"

    def _wait(self, ready: Callable[[], bool], what: str, name: str) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            process = self.processes.get(name)
            if process is not None and process.poll() is not None:
                raise RuntimeError(f"{what} stopped while starting; see {self.folder / 'logs'}")
            if ready():
                return
            time.sleep(0.3)
        raise RuntimeError(f"{what} did not start within {START_TIMEOUT:.0f} s; see {self.folder / 'logs'}")


def _answers(url: str, params: Optional[Dict[str, str]] = None) -> bool:
    try:
        return requests.get(url, params=params, timeout=2).ok
    except requests.RequestException:
        return False


def _listening(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def main(argv: Optional[List[str]] = None) -> int:
    """``make prod``: start the profile and keep it up until Ctrl-C."""
    parser = argparse.ArgumentParser(prog="make prod", description=__doc__.split("\n\n")[0])
    parser.add_argument("--folder", type=Path, default=Path(os.environ.get("COACH_PROD_DIR", "/var/lib/scope-coach"
                                                                               if os.geteuid() == 0
                                                                               else ROOT / "var" / "prod")))
    parser.add_argument("--model", type=Path, required=True)
    parser.add_argument("--replicas", type=int, default=2)
    parser.add_argument("--port", type=int, default=int(os.environ.get("COACH_PROD_PORT", "8443")))
    parser.add_argument("--listen", default=os.environ.get("COACH_PROD_LISTEN", ""),
                        help="the edge's public address, e.g. 0.0.0.0:443 (default: 127.0.0.1 and --port)")
    parser.add_argument("--public-url", default=os.environ.get("COACH_PUBLIC_URL", ""),
                        help="the address people use, e.g. https://coach.example.nhs.uk: plan download links are "
                             "built from it (default: https://127.0.0.1 and --port)")
    args = parser.parse_args(argv)
    profile = Profile(args.folder, args.model.resolve(), replicas=args.replicas, public_port=args.port,
                      listen=args.listen, public_url=args.public_url.rstrip("/"))
    print(f"Starting the production profile in {args.folder} as {profile.account.pw_name} (a few minutes)...")
    profile.start()
    print(f"\nThe coach is ready behind the edge: {profile.address}/webhooks/web/ (self-signed "
          f"certificate: {profile.certificate})")
    print(f"  {args.replicas} Rasa replicas, {args.replicas} action servers, PostgreSQL and Redis on Unix sockets "
          f"in {args.folder}; logs in {args.folder / 'logs'}")
    print("Press Ctrl-C to stop.")
    stopping = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):  # handlers, not a blocked mask: the servers inherit masks
        signal.signal(signum, lambda *_: stopping.set())
    try:
        while not stopping.wait(1):
            pass
    finally:
        print("\nStopping...")
        profile.stop()
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
