"""The Teams app package is a zip Teams accepts: manifest.json and the two icons."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from PIL import Image

from bot.channels import teams_package
from bot.channels.teams_package import PackageError, build_package

APP_ID = "0f6c1c44-1234-4abc-9def-0123456789ab"


def test_the_package_holds_a_manifest_for_the_bot_and_both_icons(tmp_path: Path) -> None:
    path, _ = build_package(tmp_path / "teams-app.zip",
                            {"TEAMS_APP_ID": APP_ID, "COACH_PUBLIC_URL": "https://coach.trust.example"})

    with zipfile.ZipFile(path) as archive:
        assert sorted(archive.namelist()) == ["color.png", "manifest.json", "outline.png"]
        manifest = json.loads(archive.read("manifest.json"))
        color = Image.open(io.BytesIO(archive.read("color.png")))
        outline = Image.open(io.BytesIO(archive.read("outline.png")))

    assert manifest["manifestVersion"] == "1.16"
    assert manifest["id"] == APP_ID
    assert manifest["bots"][0]["botId"] == APP_ID
    assert manifest["bots"][0]["scopes"] == ["personal"]
    assert manifest["name"]["short"] == "Scope for Growth coach"
    assert manifest["icons"] == {"color": "color.png", "outline": "outline.png"}
    assert manifest["developer"]["websiteUrl"] == "https://coach.trust.example/webhooks/web/"
    assert manifest["validDomains"] == ["coach.trust.example"]
    assert "{{" not in json.dumps(manifest)
    assert color.size == (192, 192)
    assert outline.size == (32, 32)


def test_the_outline_icon_is_white_on_transparent_only() -> None:
    outline = teams_package.outline_icon().convert("RGBA")
    pixels = list(outline.getdata())
    assert {(r, g, b) for r, g, b, a in pixels if a > 0} == {(255, 255, 255)}
    assert any(a == 0 for *_, a in pixels) and any(a == 255 for *_, a in pixels)


def test_the_colour_icon_is_nhs_blue_with_a_white_symbol() -> None:
    color = teams_package.color_icon().convert("RGBA")
    assert color.getpixel((20, 96)) == (0, 94, 184, 255)
    assert (255, 255, 255, 255) in set(color.getdata())
    assert color.getpixel((0, 0)) == (0, 94, 184, 0)  # rounded corners


def test_without_an_app_id_the_build_stops_with_a_clear_message(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TEAMS_APP_ID", raising=False)

    assert teams_package.main(["--output", str(tmp_path / "app.zip")]) == 2

    assert "TEAMS_APP_ID is not set" in capsys.readouterr().err
    assert not (tmp_path / "app.zip").exists()


def test_an_app_id_that_is_not_a_guid_is_refused(tmp_path: Path) -> None:
    with pytest.raises(PackageError, match="GUID"):
        build_package(tmp_path / "app.zip", {"TEAMS_APP_ID": "my-bot"})


def test_placeholder_developer_links_are_flagged_when_there_is_no_public_https_host(tmp_path: Path) -> None:
    path, warnings = build_package(tmp_path / "app.zip",
                                   {"TEAMS_APP_ID": APP_ID, "COACH_PUBLIC_URL": "http://localhost:5005"})

    manifest = json.loads(zipfile.ZipFile(path).read("manifest.json"))
    assert manifest["developer"]["privacyUrl"] == "https://example.org/"
    assert manifest["validDomains"] == []
    assert len(warnings) == 3


def test_the_command_line_builds_the_zip_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEAMS_APP_ID", APP_ID)
    monkeypatch.setenv("TEAMS_APP_VERSION", "1.2.3")
    monkeypatch.setenv("TEAMS_PRIVACY_URL", "https://trust.example/privacy")

    assert teams_package.main(["--output", str(tmp_path / "out" / "teams-app.zip")]) == 0

    manifest = json.loads(zipfile.ZipFile(tmp_path / "out" / "teams-app.zip").read("manifest.json"))
    assert manifest["version"] == "1.2.3"
    assert manifest["developer"]["privacyUrl"] == "https://trust.example/privacy"


def test_the_same_settings_build_the_same_zip(tmp_path: Path) -> None:
    env = {"TEAMS_APP_ID": APP_ID}
    first, _ = build_package(tmp_path / "a.zip", env)
    second, _ = build_package(tmp_path / "b.zip", env)
    assert first.read_bytes() == second.read_bytes()
