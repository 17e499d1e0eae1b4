"""Build the Teams app package: ``python -m bot.channels.teams_package`` writes ``build/teams-app.zip``.

The zip holds ``manifest.json`` (Teams schema 1.16, from ``teams_manifest/manifest.template.json``,
so an organisation can change the wording without touching code), ``color.png`` (192x192) and
``outline.png`` (32x32, white on transparent). The icons are drawn here with Pillow, so no binary
files live in the repository.

Environment:
    TEAMS_APP_ID          required: the Azure Bot's Microsoft App ID (a GUID)
    TEAMS_MANIFEST_ID     the Teams app id (default: TEAMS_APP_ID)
    TEAMS_APP_VERSION     default 1.0.0; raise it for every re-upload
    TEAMS_DEVELOPER_NAME, TEAMS_WEBSITE_URL, TEAMS_PRIVACY_URL, TEAMS_TERMS_URL
                          shown in Teams' app details; URLs default to the coach's web page when
                          COACH_PUBLIC_URL is https, else to an example.org placeholder
    TEAMS_VALID_DOMAINS   extra comma-separated domains (the COACH_PUBLIC_URL host is added)
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import sys
import zipfile
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple
from urllib.parse import urlparse

from PIL import Image, ImageDraw

TEMPLATE = Path(__file__).resolve().parent / "teams_manifest" / "manifest.template.json"
DEFAULT_OUTPUT = Path(__file__).resolve().parents[2] / "build" / "teams-app.zip"
NHS_BLUE = (0, 94, 184)  # #005EB8
PLACEHOLDER_URL = "https://example.org/"
GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
VERSION = re.compile(r"^\d+\.\d+\.\d+$")
MARKER = re.compile(r"\{\{(\w+)\}\}")
SUPERSAMPLE = 8  # draw large, then shrink: smooth edges without a font or an antialiasing library
ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # fixed, so the same inputs give the same zip


class PackageError(ValueError):
    """The environment does not describe a package Teams would accept."""


def _is_local(host: str) -> bool:
    return host in ("localhost", "127.0.0.1", "::1", "0.0.0.0") or host.endswith(".localhost")


def manifest_values(env: Mapping[str, str]) -> Tuple[Dict[str, Any], List[str]]:
    """The values for the manifest template, and warnings about placeholders still in use."""
    app_id = (env.get("TEAMS_APP_ID") or "").strip()
    if not app_id:
        raise PackageError("TEAMS_APP_ID is not set. Set it to your Azure Bot's Microsoft App ID, e.g. "
                           "`make teams-package TEAMS_APP_ID=00000000-0000-0000-0000-000000000000`.")
    manifest_id = (env.get("TEAMS_MANIFEST_ID") or app_id).strip()
    for name, value in (("TEAMS_APP_ID", app_id), ("TEAMS_MANIFEST_ID", manifest_id)):
        if not GUID.match(value):
            raise PackageError(f"{name} must be a GUID like 00000000-0000-0000-0000-000000000000, not {value!r}.")
    version = (env.get("TEAMS_APP_VERSION") or "1.0.0").strip()
    if not VERSION.match(version):
        raise PackageError(f"TEAMS_APP_VERSION must look like 1.0.0, not {version!r}.")

    warnings: List[str] = []
    public = urlparse(env.get("COACH_PUBLIC_URL") or "")
    public_https = public.scheme == "https" and bool(public.hostname) and not _is_local(public.hostname or "")
    default_url = f"https://{public.netloc}/webhooks/web/" if public_https else PLACEHOLDER_URL
    urls: Dict[str, str] = {}
    for key, name in (("website_url", "TEAMS_WEBSITE_URL"), ("privacy_url", "TEAMS_PRIVACY_URL"),
                      ("terms_url", "TEAMS_TERMS_URL")):
        urls[key] = (env.get(name) or default_url).strip()
        if not urls[key].startswith("https://"):
            raise PackageError(f"{name} must be an https:// URL (Teams refuses others), not {urls[key]!r}.")
        if urls[key] == PLACEHOLDER_URL:
            warnings.append(f"{name} is a placeholder ({PLACEHOLDER_URL}); set it before distributing the app.")

    domains = [d.strip() for d in (env.get("TEAMS_VALID_DOMAINS") or "").split(",") if d.strip()]
    if public_https and public.hostname and public.hostname not in domains:
        domains.insert(0, public.hostname)
    values = {"app_id": app_id, "bot_id": app_id, "manifest_id": manifest_id, "version": version,
              "developer_name": (env.get("TEAMS_DEVELOPER_NAME") or "Scope for Growth coach").strip(),
              "valid_domains": domains, **urls}
    return values, warnings


def _fill(node: Any, values: Mapping[str, Any]) -> Any:
    """Replace ``{{name}}`` markers; a string that is only a marker takes the value's own type (e.g. a list)."""
    if isinstance(node, dict):
        return {key: _fill(value, values) for key, value in node.items()}
    if isinstance(node, list):
        return [_fill(value, values) for value in node]
    if isinstance(node, str):
        for name in MARKER.findall(node):
            if name not in values:
                raise PackageError(f"the manifest template uses {{{{{name}}}}}, which the packager does not know")
        whole = MARKER.fullmatch(node)
        if whole:
            return values[whole.group(1)]
        return MARKER.sub(lambda m: str(values[m.group(1)]), node)
    return node


def build_manifest(env: Mapping[str, str], template: Path = TEMPLATE) -> Tuple[Dict[str, Any], List[str]]:
    """The filled-in manifest and any placeholder warnings."""
    values, warnings = manifest_values(env)
    manifest = _fill(json.loads(template.read_text(encoding="utf-8")), values)
    if len(manifest["name"]["short"]) > 30 or len(manifest["description"]["short"]) > 80:
        raise PackageError("the manifest's short name must be at most 30 characters and short description 80")
    return manifest, warnings


def _growth_symbol(size: int) -> Image.Image:
    """A mask (L mode) of the coach's symbol, three rising bars under a rising arrow, ``size`` pixels square."""
    big = size * SUPERSAMPLE
    mask = Image.new("L", (big, big), 0)
    draw = ImageDraw.Draw(mask)

    def at(x: float, y: float) -> Tuple[float, float]:
        return x * big, y * big

    for left, top in ((0.14, 0.66), (0.42, 0.52), (0.70, 0.38)):
        draw.rounded_rectangle([at(left, top), at(left + 0.16, 0.88)], radius=0.03 * big, fill=255)
    width = round(0.085 * big)
    draw.line([at(0.12, 0.50), at(0.38, 0.30), at(0.52, 0.38), at(0.76, 0.17)], fill=255, width=width,
              joint="curve")
    draw.polygon([at(0.88, 0.07), at(0.84, 0.31), at(0.64, 0.11)], fill=255)  # arrowhead
    return mask.resize((size, size), Image.Resampling.LANCZOS)


def color_icon(size: int = 192) -> Image.Image:
    """The 192x192 colour icon: a white symbol on an NHS-blue rounded square."""
    big = size * SUPERSAMPLE
    square = Image.new("L", (big, big), 0)
    ImageDraw.Draw(square).rounded_rectangle([0, 0, big - 1, big - 1], radius=round(0.2 * big), fill=255)
    icon = Image.new("RGBA", (size, size), NHS_BLUE + (0,))
    icon.putalpha(square.resize((size, size), Image.Resampling.LANCZOS))
    symbol = _growth_symbol(round(size * 0.64))
    white = Image.new("RGBA", symbol.size, (255, 255, 255, 255))
    offset = (size - symbol.width) // 2
    icon.paste(white, (offset, offset), symbol)
    return icon


def outline_icon(size: int = 32) -> Image.Image:
    """The 32x32 outline icon: the symbol in white on a transparent background (as Teams requires)."""
    icon = Image.new("RGBA", (size, size), (255, 255, 255, 0))
    icon.putalpha(_growth_symbol(size))
    return icon


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def build_package(output: Path = DEFAULT_OUTPUT, env: Optional[Mapping[str, str]] = None) -> Tuple[Path, List[str]]:
    """Write the app zip to ``output``; returns its path and any placeholder warnings."""
    manifest, warnings = build_manifest(os.environ if env is None else env)
    files = {"manifest.json": json.dumps(manifest, indent=2, ensure_ascii=False).encode("utf-8"),
             "color.png": _png(color_icon()), "outline.png": _png(outline_icon())}
    output.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(output, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16  # readable files when unzipped
            archive.writestr(info, data)
    return output, warnings


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Command line: build the package, print where it is, exit 2 with a clear message on bad settings."""
    parser = argparse.ArgumentParser(prog="python -m bot.channels.teams_package",
                                     description="Build the Microsoft Teams app package (manifest and icons).")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help=f"zip to write (default {DEFAULT_OUTPUT})")
    args = parser.parse_args(argv)
    try:
        path, warnings = build_package(args.output)
    except PackageError as error:
        print(f"teams-package: {error}", file=sys.stderr)
        return 2
    for warning in warnings:
        print(f"teams-package: warning: {warning}", file=sys.stderr)
    print(f"Built {path}. In Teams: Apps > Manage your apps > Upload an app > Upload a custom app, and choose it.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
