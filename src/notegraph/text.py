"""Text clean-up: bytes from a PDF conversion in, numbered clean lines out.

Handles UTF-8 with or without BOM, UTF-16 with BOM, Windows-1252, CRLF and CR line ends, form
feeds, page-number lines, footnote blocks that interrupt a paragraph, non-breaking and other odd
spaces, soft hyphens and ligatures. Curly quotes are kept as written; matching folds them.

>>> lines, footnotes = clean_lines("Information Note\\u00b9\\r\\nEvent: A\\ufb01ne day\\r\\n"
...                                "\\u00b9 For information only.\\r\\nPage 1 of 2\\r\\n")
>>> [(line.number, line.text) for line in lines if line.text][1:]
[(2, 'Event: Afine day')]
>>> footnotes
[(3, 'For information only.')]
"""

from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple

from notegraph.errors import NoteReadError

SPACES = re.compile("[\u00a0\u2000-\u200a\u202f\u205f\u3000\t]")
DROPPED = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")
LIGATURES = {"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl",
             "\ufb05": "st", "\ufb06": "st"}
# Any character the three steps above change, in one set.
ODD_CHARACTERS = re.compile(f"[{SPACES.pattern[1:-1]}{DROPPED.pattern[1:-1]}{''.join(LIGATURES)}]")
SUPERSCRIPTS = "\u00b9\u00b2\u00b3\u2070\u2074\u2075\u2076\u2077\u2078\u2079"
PAGE_LINE = re.compile(r"^\s*(?:-\s*)?(?:page\s+)?\d{1,3}(?:\s*(?:of|/)\s*\d{1,3})?(?:\s*-)?\s*$",
                       re.IGNORECASE)
FOOTNOTE_START = re.compile(rf"^\s*([{SUPERSCRIPTS}]+|\d{{1,2}})\s+(\S.*)$")
TERMINAL = tuple(".!?:;)")
REPEATED_SPACES = re.compile(r" {2,}")
NUMBERED_NOTE = re.compile(r"^\s*information\s+note\s*(\d{1,2})\s*$", re.IGNORECASE)


class Line(NamedTuple):
    """One line of cleaned text with its 1-based line number in the source file (a named
    tuple: a note has dozens of lines)."""

    number: int
    text: str


def decode(data: bytes, source: str = "<text>") -> str:
    """Decode note bytes: UTF-8 (BOM or not), UTF-16 with BOM, else Windows-1252.

    >>> decode("Côte d’Ivoire".encode("cp1252")) == decode("\\ufeffCôte d’Ivoire".encode())
    True
    """
    if not data.strip():
        raise NoteReadError(source, "empty file: there is no note text to parse; "
                                    "add the note's text or remove the file")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    if b"\x00" in data:
        raise NoteReadError(source, "binary file (it contains NUL bytes): convert the note to "
                                    "plain text first, e.g. with pdftotext")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise NoteReadError(source, f"not UTF-8 or Windows-1252 text (byte {exc.start}): "
                                    "save the note as UTF-8") from exc
    if _control_ratio(text) > 0.05:
        raise NoteReadError(source, "binary file (mostly control characters): convert the note "
                                    "to plain text first")
    return text


def _control_ratio(text: str) -> float:
    controls = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\r\n\t\f")
    return controls / max(len(text), 1)


def normalise_characters(text: str) -> str:
    """Unify line ends, spaces, soft hyphens and ligatures; keep everything else as written.

    >>> normalise_characters("a\\u00a0b\\r\\nc\\u00adf\\ufb01x\\rd\\fe")
    'a b\\ncffix\\nd\\ne'
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    if text.isascii():  # of the odd spaces only the tab is ASCII; no ligatures, already NFC
        return text.replace("\t", " ")
    if ODD_CHARACTERS.search(text):
        text = DROPPED.sub("", SPACES.sub(" ", text))
        for ligature, letters in LIGATURES.items():
            text = text.replace(ligature, letters)
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


def clean_lines(text: str) -> tuple[list[Line], list[tuple[int, str]]]:
    """Split into numbered lines, dropping page artefacts and footnote blocks.

    Returns the kept lines (blank ones included, as empty text) and the footnotes as
    ``(line, text)`` pairs with their marker removed.
    """
    raw = normalise_characters(text).split("\n")
    markers = _footnote_markers(raw)
    contents = [collapse_spaces(content) for content in raw]
    running = _running_heads(contents)
    lines: list[Line] = []
    footnotes: list[tuple[int, str]] = []
    in_footnote = False
    line = tuple.__new__  # a Line without the Python-level __new__
    for number, content in enumerate(contents, start=1):
        if not content:
            in_footnote = False
            lines.append(line(Line, (number, "")))
            continue
        if in_footnote:
            footnotes[-1] = (footnotes[-1][0], join_fragments([footnotes[-1][1], content]))
            in_footnote = not ends_sentence(content)
            continue
        in_footnote = False
        first = content[0]
        numbered = first.isdecimal()  # a page number line or a footnote may start so
        if ((numbered or first in "-pP") and _page_line(content)) or content in running:
            lines.append(line(Line, (number, "")))
            continue
        footnote = _footnote_text(content, markers) if numbered or first in SUPERSCRIPTS \
            else None
        if footnote is not None:
            footnotes.append((number, footnote))
            in_footnote = not ends_sentence(footnote)
            continue
        lines.append(line(Line, (number, content)))
    return lines, footnotes


def collapse_spaces(content: str) -> str:
    """A line with runs of spaces made one and its ends stripped.

    >>> collapse_spaces("  Page   2 ")
    'Page 2'
    """
    if "  " in content:
        content = REPEATED_SPACES.sub(" ", content)
    return content.strip()


def _page_line(content: str) -> bool:
    """A page number line ("Page 2 of 5", "- 3 -"); ``content`` is stripped and starts with a
    digit, "-" or "p"."""
    return bool(PAGE_LINE.match(content))


def _running_heads(contents: list[str]) -> set[str]:
    """Page headers and footers repeated through the document ("Information Note – S/2015/12"),
    seen three times or more; the first line (the note's own heading) is kept. The lines come
    with their spaces collapsed; bullet items do not count."""
    counts: dict[str, int] = {}
    for content in contents[1:]:
        if content and len(content) <= 100:
            counts[content] = counts.get(content, 0) + 1
    return {content for content, count in counts.items()
            if count >= 3 and not BULLET_START.match(content)}


BULLET_START = re.compile(r"^(?:[\u2022\u25aa\u25cf\u25e6\u00b7*\-\u2013o]|\(?[a-z0-9]{1,3}[.)])\s")


def _footnote_markers(raw: list[str]) -> set[str]:
    """Markers used as footnote references: superscripts, or a number after "Information Note"."""
    markers = set(SUPERSCRIPTS)
    for content in raw[:5]:
        found = NUMBERED_NOTE.match(content)
        if found:
            markers.add(found.group(1))
    return markers


def _footnote_text(content: str, markers: set[str]) -> str | None:
    found = FOOTNOTE_START.match(content)
    if not found or not found.group(2)[0].isupper():
        return None
    marker = found.group(1)
    if marker.isdigit() and marker not in markers:
        return None
    return found.group(2).strip()


def join_fragments(fragments: list[str]) -> str:
    """Join wrapped line fragments, undoing end-of-line hyphenation.

    A hyphen before a lower-case continuation is a split word; before a capital it is kept.

    >>> join_fragments(["the imple-", "mentation of", "Guinea-", "Bissau"])
    'the implementation of Guinea-Bissau'
    """
    text = ""
    for fragment in (f.strip() for f in fragments):
        if not fragment:
            continue
        if text.endswith("-") and len(text) > 1 and text[-2].isalpha() and fragment[0].isalpha():
            text = text[:-1] + fragment if fragment[0].islower() else text + fragment
        elif text:
            text = f"{text} {fragment}"
        else:
            text = fragment
    return text


# Characters that match an ASCII letter case-insensitively but do not lower-case to it.
CASE_TRAPS = ("\u0130", "\u0131", "\u017f", "\u212a")


def might_contain(text: str, *words: str) -> bool:
    """A cheap test before a case-insensitive pattern: False only when none of the lower-case
    ``words`` occurs in ``text`` in any case, so the pattern cannot match either.

    >>> might_contain("See the ANNEX.", "attach", "annex"), might_contain("Nothing", "annex")
    (True, False)
    """
    lowered = lowered_text(text)
    return lowered is None or any(word in lowered for word in words)


def lowered_text(text: str) -> str | None:
    """``text`` lower-cased for cheap tests, or None when a character such as "\u017f" would match
    an ASCII letter case-insensitively yet lower-case to something else.

    >>> lowered_text("Vienna"), lowered_text("\u0130stanbul")
    ('vienna', None)
    """
    if not text.isascii() and any(trap in text for trap in CASE_TRAPS):
        return None
    return text.lower()


def ends_sentence(text: str) -> bool:
    """Whether a paragraph fragment ends like a finished sentence.

    >>> ends_sentence("the plan."), ends_sentence("With resolution 1977")
    (True, False)
    """
    return text.rstrip().endswith(TERMINAL) or text.rstrip().endswith(('"', "\u201d"))


def top_level_parts(text: str) -> tuple[list[str], bool]:
    """The text cut at its separators outside parentheses (an unclosed one runs to the end):
    at semicolons when it has one there, else at commas; and whether at semicolons.

    >>> top_level_parts("Serbia (a; b), Chile; Peru")
    (['Serbia (a; b), Chile', ' Peru'], True)
    >>> top_level_parts("Serbia, Chile (a, b")
    (['Serbia', ' Chile (a, b'], False)
    """
    if "(" not in text:
        return (text.split(";"), True) if ";" in text else (text.split(","), False)
    inside = parenthesised(text)
    semicolons: list[int] = []
    commas: list[int] = []
    for found in SEPARATORS.finditer(text):
        if not inside[found.start()]:
            (semicolons if found.group() == ";" else commas).append(found.start())
    cuts = semicolons or commas
    bounds = [-1, *cuts, len(text)]
    return [text[begin + 1:end] for begin, end in zip(bounds, bounds[1:], strict=False)], \
        bool(semicolons)


SEPARATORS = re.compile(r"[,;]")


def parenthesised(text: str) -> bytearray:
    """Which characters sit inside parentheses (1 for those), from an opening parenthesis to
    its closing one, or to the end when it is not closed; a closing one with none open is
    outside. One place more than the text, past its end, is 0.

    >>> list(parenthesised("a (b) c) (d"))
    [0, 0, 1, 1, 1, 0, 0, 0, 0, 1, 1, 0]
    """
    inside = bytearray(len(text) + 1)
    depth, opened = 0, 0
    for found in PARENTHESIS.finditer(text):
        position = found.start()
        if found.group() == "(":
            depth += 1
            opened = position if depth == 1 else opened
        elif depth > 0:
            depth -= 1
            if depth == 0:
                inside[opened:position + 1] = b"\x01" * (position + 1 - opened)
    if depth > 0:
        inside[opened:len(text)] = b"\x01" * (len(text) - opened)
    return inside


PARENTHESIS = re.compile(r"[()]")


class Passage(NamedTuple):
    """Text joined from several source lines, remembering which line each part came from (a
    named tuple: a note has dozens of passages).

    >>> passage = Passage.join([Line(3, "Organiser UNODA and the imple-"),
    ...                         Line(5, "mentation unit")])
    >>> passage.text, passage.line_at(passage.text.index("unit"))
    ('Organiser UNODA and the implementation unit', 5)
    """

    text: str
    starts: tuple[tuple[int, int], ...] = ()  # (character offset, line number), ascending

    @classmethod
    def join(cls, lines: list[Line]) -> Passage:
        """Join wrapped lines as ``join_fragments`` does, keeping their line numbers."""
        if len(lines) == 1:
            fragment = lines[0].text.strip()
            return cls(fragment, ((0, lines[0].number),)) if fragment else cls("", ())
        text, starts = "", []
        for line in lines:
            fragment = line.text.strip()
            if not fragment:
                continue
            hyphenated = text.endswith("-") and len(text) > 1 and text[-2].isalpha()
            if hyphenated and fragment[0].isalpha():
                text = text[:-1] if fragment[0].islower() else text
            elif text:
                text += " "
            starts.append((len(text), line.number))
            text += fragment
        return cls(text, tuple(starts))

    def line_at(self, offset: int) -> int:
        """The source line of the character at ``offset``."""
        number = self.starts[0][1] if self.starts else 0
        for start, line in self.starts:
            if start > offset:
                break
            number = line
        return number

    def slice(self, begin: int, end: int | None = None) -> Passage:
        """A part of the passage, line numbers kept."""
        end = len(self.text) if end is None else end
        kept = [(0, self.line_at(begin))]
        kept += [(start - begin, line) for start, line in self.starts if begin < start < end]
        return Passage(self.text[begin:end], tuple(kept))

    def strip(self) -> Passage:
        """The passage without surrounding blanks and list punctuation."""
        stripped = self.text.strip(" \t,;.:")
        begin = self.text.find(stripped) if stripped else 0
        return self.slice(begin, begin + len(stripped))
