"""Text clean-up: encodings, line ends, page artefacts, footnotes, hyphenation, odd characters."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from notegraph import parse_file, parse_text
from notegraph.errors import NoteReadError
from notegraph.text import clean_lines, decode

WIESBADEN = "2014-11-wiesbaden-industry-conference.txt"


def _json_without_source(path: Path) -> str:
    data = parse_file(path).to_dict()
    data.pop("source")
    return json.dumps(data, ensure_ascii=False, sort_keys=True)


def test_same_json_from_every_encoding(notes_dir: Path, tmp_path: Path) -> None:
    text = (notes_dir / WIESBADEN).read_text(encoding="utf-8")
    assert "\u201c" in text and "\u2019" in text and "\u2013" in text  # cp1252-only characters
    variants = {
        "utf8.txt": text.encode("utf-8"),
        "bom.txt": b"\xef\xbb\xbf" + text.encode("utf-8"),
        "cp1252.txt": text.encode("cp1252"),
        "crlf.txt": text.replace("\n", "\r\n").encode("utf-8"),
        "cp1252-crlf.txt": text.replace("\n", "\r\n").encode("cp1252"),
    }
    outputs = set()
    for name, data in variants.items():
        (tmp_path / name).write_bytes(data)
        outputs.add(_json_without_source(tmp_path / name))
    assert len(outputs) == 1
    assert "Compliance Management" in outputs.pop()


def test_footnote_inside_a_paragraph_is_lifted_out(notes_dir: Path) -> None:
    record = parse_file(notes_dir / "000_ce1ffb009a01f4c0.txt")
    assert record.disclaimer.startswith("For information")
    assert "url" not in record.disclaimer
    text = (notes_dir / "000_ce1ffb009a01f4c0.txt").read_text(encoding="utf-8")
    lines, footnotes = clean_lines(text)
    joined = " ".join(line.text for line in lines)
    assert "For information" not in joined
    assert len(footnotes) == 1


def test_paragraph_broken_by_a_footnote_is_rejoined(notes_dir: Path) -> None:
    from notegraph.layout import split_layout

    text = (notes_dir / "000_ce1ffb009a01f4c0.txt").read_text(encoding="utf-8")
    layout = split_layout(clean_lines(text)[0])
    paragraphs = [p.passage.text for p in layout.paragraphs]
    assert any("With resolution 1977 (2011) the UN Security Council" in p for p in paragraphs)


def test_page_lines_and_hyphenation(notes_dir: Path) -> None:
    from notegraph.layout import split_layout

    text = (notes_dir / "2016-03-san-jose-oas-cicte-central-america-workshop.txt").read_text(
        encoding="utf-8")
    paragraphs = [p.passage.text for p in split_layout(clean_lines(text)[0]).paragraphs]
    assert any("for the implementation of the resolution" in p for p in paragraphs)
    wiesbaden = (notes_dir / WIESBADEN).read_text(encoding="utf-8")
    kept = [line.text for line in clean_lines(wiesbaden)[0]]
    assert not any(line.startswith("Page ") for line in kept)


def test_form_feeds_ligatures_and_odd_spaces() -> None:
    text = ("Information Note\f\nEvent:\u00a0Work\u00adshop on Bio\ufb01lters\n"
            "Date and Venue: 9-10\u202fMay 2013, Belgrade, Serbia\n")
    record = parse_text(text)
    assert record.title == "Workshop on Biofilters"
    assert record.start_date == "2013-05-09"


@pytest.mark.parametrize(("data", "reason"), [
    (b"", "empty file"),
    (b"   \n\n", "empty file"),
    (b"\x7fELF\x02\x01\x00\x00binary", "binary file"),
])
def test_unreadable_input_is_named(data: bytes, reason: str) -> None:
    with pytest.raises(NoteReadError, match=reason) as raised:
        decode(data, "notes/x.txt")
    assert str(raised.value).startswith("notes/x.txt: ")


def test_running_page_headers_are_dropped(notes_dir: Path) -> None:
    text = (notes_dir / "000_ce1ffb009a01f4c0.txt").read_text(encoding="utf-8")
    paragraphs = text.split("\n\n")
    header = "1540 Committee – Information Note (unofficial)"
    with_heads = "\n\n".join(p if i % 6 else f"{header}\n\n{p}" for i, p in enumerate(paragraphs))
    assert with_heads.count(header) >= 3
    def facts(record) -> tuple:
        return (record.title, record.start_date, record.end_date, record.venue,
                [(a.id, a.role) for a in record.organisers],
                [(a.id, a.mode) for a in record.participants], record.related_events,
                record.recommendations, record.objectives, record.topics)

    assert facts(parse_text(with_heads)) == facts(parse_text(text))
