"""Date expressions in the English forms UN notes use."""

from __future__ import annotations

import pytest

from notegraph.dates import first_date


@pytest.mark.parametrize(("text", "start", "end", "precision"), [
    ("9-10 May 2013, Belgrade", "2013-05-09", "2013-05-10", "day"),
    ("5 and 6 June 2014", "2014-06-05", "2014-06-06", "day"),
    ("14 to 16 March 2016", "2016-03-14", "2016-03-16", "day"),
    ("20\u201321 November 2014", "2014-11-20", "2014-11-21", "day"),
    ("3 \u2013 4 December 2015", "2015-12-03", "2015-12-04", "day"),
    ("30 November \u2013 1 December 2016", "2016-11-30", "2016-12-01", "day"),
    ("28 February-1 March 2017", "2017-02-28", "2017-03-01", "day"),
    ("30 December 2015 \u2014 2 January 2016", "2015-12-30", "2016-01-02", "day"),
    ("Tuesday, 5 June 2018", "2018-06-05", "2018-06-05", "day"),
    ("Monday 4 and Tuesday 5 June 2018", "2018-06-04", "2018-06-05", "day"),
    ("from 28 to 30 June 2016", "2016-06-28", "2016-06-30", "day"),
    ("6, 7 and 8 April 2016", "2016-04-06", "2016-04-08", "day"),
    ("21 May 2015", "2015-05-21", "2015-05-21", "day"),
    ("May 9-10, 2013", "2013-05-09", "2013-05-10", "day"),
    ("held in November 2014", "2014-11", "2014-11", "month"),
    ("March\u2013April 2015", "2015-03", "2015-04", "month"),
    ("Sept. 2019", "2019-09", "2019-09", "month"),
])
def test_date_forms(text: str, start: str, end: str, precision: str) -> None:
    found = first_date(text)
    assert (found.start, found.end, found.precision) == (start, end, precision)


def test_bare_year_only_when_asked() -> None:
    assert first_date("in 2014 the Committee") is None
    assert first_date("in 2014 the Committee", years=True).precision == "year"


def test_resolution_years_are_not_dates() -> None:
    assert first_date("resolution 1540 (2004) and 1977 (2011)", years=True) is None


def test_impossible_dates_are_rejected() -> None:
    assert first_date("31 February 2015") is None
    assert first_date("10-9 May 2013") is None
