"""The parser against the gold files: seeds perfectly, dev notes at F1 >= 0.97 per field group."""

from __future__ import annotations

import pytest

from notegraph.fidelity import GROUPS, Counts, score_many, score_record

from conftest import SEEDS, extra_pairs, gold_names, record_and_gold

DEV = [name for name in gold_names() if name not in SEEDS]


@pytest.mark.parametrize("name", SEEDS)
def test_seed_parses_perfectly(name: str) -> None:
    record, gold = record_and_gold(name)
    counts = score_record(record, gold)
    imperfect = {group: c for group, c in counts.items() if c.fp or c.fn}
    assert imperfect == {}


@pytest.mark.parametrize("group", GROUPS)
def test_dev_notes_micro_f1(group: str) -> None:
    counts = score_many(record_and_gold(name) for name in DEV)
    assert len(DEV) >= 8
    assert counts[group].f1 >= 0.97, counts[group]


@pytest.mark.parametrize("group", GROUPS)
def test_extra_notes_micro_f1(group: str) -> None:
    pairs = extra_pairs()
    assert len(pairs) >= 12
    assert score_many(pairs)[group].f1 >= 0.95, group


@pytest.mark.parametrize("name", gold_names())
def test_every_name_resolves(name: str) -> None:
    record, _gold = record_and_gold(name)
    actors = record["organisers"] + record["participants"]
    assert [a["name"] for a in actors if a["unresolved"]] == []


def test_scorer_counts_mistakes() -> None:
    record = {"title": "Workshop", "start_date": "2013-05-09", "end_date": "2013-05-11",
              "venue": {"city": "Belgrade", "country": "SRB"},
              "organisers": [{"name": "UNODA", "id": "unoda", "role": "supporter"}],
              "participants": [{"name": "Serbia", "id": "SRB", "kind": "state"},
                               {"name": "Montenegro", "id": "MNE", "kind": "state"}],
              "related_events": [{"start_date": "2010-06-14", "city": "Split"}],
              "recommendations": ["a"]}
    gold = {"title": "Workshop", "start_date": "2013-05-09", "end_date": "2013-05-10",
            "city": "Belgrade", "country": "SRB",
            "organisers": [{"match": ["UNODA"], "role": "organiser"}],
            "states": ["SRB", "ALB"], "organisations": [],
            "related_events": [{"start_date": "2010-06", "city": "Split"}],
            "recommendations": 0}
    counts = score_record(record, gold)
    assert counts["dates"] == Counts(tp=1, fp=1, fn=1)
    assert counts["organisers"] == Counts(tp=0, fp=1, fn=1)
    assert counts["states"] == Counts(tp=1, fp=1, fn=1)
    assert counts["related_events"] == Counts(tp=1)
    assert counts["recommendations"] == Counts(fp=1, fn=1)
