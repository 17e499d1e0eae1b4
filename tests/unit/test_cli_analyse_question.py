"""`coach analyse-question`: one question as an argument, or one per line on stdin."""

from __future__ import annotations

import io
import json

import pytest

from bot.cli import main


def test_a_question_argument_prints_one_json_object(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["analyse-question", "Do you enjoy your role?"]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1
    data = json.loads(out[0])
    assert data == {
        "type": "closed",
        "reasons": data["reasons"],
        "rewrite": "What do you enjoy about your role?",
    }
    assert data["reasons"]


def test_stdin_is_read_one_question_per_line_skipping_blank_lines(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("Tell me about your team.\n\n   \nWhy did you do that?\n"))
    assert main(["analyse-question"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.strip().splitlines()]
    assert [line["type"] for line in lines] == ["open", "why"]
    assert lines[0]["rewrite"] is None
    assert lines[1]["rewrite"] == "What led you to do that?"


def test_empty_stdin_is_a_clear_error_with_status_2(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("\n  \n"))
    assert main(["analyse-question"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "no questions" in captured.err


def test_an_empty_question_argument_is_an_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["analyse-question", "  "]) == 2
    assert "empty" in capsys.readouterr().err
