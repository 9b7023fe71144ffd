"""Readable one-screen summaries of parsed records.

>>> from notegraph import parse_text
>>> print(summarise(parse_text("Event: Workshop on X\\nDate and Venue: 9-10 May 2013, "
...                            "Belgrade, Serbia\\nParticipants: Albania, UNODA\\n")))
<text>
  Workshop on X
  2013-05-09 to 2013-05-10 · Belgrade, SRB
  organisers: none found
  participants: 1 States, 1 organisations · related events: 0 · recommendations: 0
  warnings: 1
    line 1: no organiser found: add an 'Organiser:' line
"""

from __future__ import annotations

from notegraph.records import NoteRecord


def summarise(record: NoteRecord) -> str:
    """Title, dates, venue, organisers, counts and warnings of one record."""
    when = _when(record)
    where = ", ".join(filter(None, [record.venue.city, record.venue.country])) or "venue unknown"
    organisers = ", ".join(f"{a.acronym or a.name} ({a.role})" for a in record.organisers)
    recommendations = str(len(record.recommendations))
    if record.recommendations_attached:
        recommendations += " (more in attachment)"
    lines = [
        record.source,
        f"  {record.title or '(no title)'}",
        f"  {when} · {where}",
        f"  organisers: {organisers or 'none found'}",
        f"  participants: {len(record.states)} States, {len(record.organisations)} organisations"
        f" · related events: {len(record.related_events)} · recommendations: {recommendations}",
        f"  warnings: {len(record.warnings)}",
    ]
    lines += [f"    line {w.line}: {w.message}" for w in record.warnings]
    return "\n".join(lines)


def _when(record: NoteRecord) -> str:
    if record.start_date is None:
        return "date unknown"
    if record.end_date and record.end_date != record.start_date:
        return f"{record.start_date} to {record.end_date}"
    return record.start_date
