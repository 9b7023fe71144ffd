"""notegraph: a knowledge graph of the UN Security Council 1540 Committee's Information Notes.

>>> from notegraph import parse_text
>>> record = parse_text("Event: Workshop on X\\nDate and Venue: 9-10 May 2013, Belgrade, Serbia\\n")
>>> record.start_date, record.venue.city, record.venue.country
('2013-05-09', 'Belgrade', 'SRB')
"""

from notegraph.parse import parse_file, parse_paths, parse_text

__version__ = "0.1.0"
__all__ = ["parse_file", "parse_paths", "parse_text", "__version__"]
