"""The text a unit is made of is the text rdflib and pathlib would give."""

from __future__ import annotations

import gc
import itertools
from pathlib import Path

from rdflib import OWL, RDF, XSD, BNode, Literal, URIRef
from rdflib.plugins.serializers.nt import _nt_row

from notegraph.paths import _path_posix, posix_text, stem
from notegraph.reason import is_noise, without_noise
from notegraph.units import ntriples


def test_ntriples_are_rdflibs_rows_sorted() -> None:
    s, p = URIRef("https://w3id.org/notegraph/id/event/e"), URIRef("urn:p")
    objects = [URIRef("urn:o"), Literal('say "hi"\\n', lang="en"), Literal("a\nb\r\\c"),
               Literal("Lomé"), Literal(3), Literal(True), Literal("2014-06-02", datatype=XSD.date),
               Literal("x", datatype=XSD.anyURI), BNode("b")]
    triples = [(s, p, o) for o in objects] + [(BNode("s"), p, Literal("blank subject"))]
    assert ntriples(triples) == "".join(sorted(_nt_row(t) for t in triples))


def test_a_literals_text_is_never_another_literals() -> None:
    """The text is kept by object: an object freed and another made (maybe at its address)
    gets its own text."""
    p = URIRef("urn:p")
    for number in range(2000):
        literal = Literal(f"value {number}")
        assert ntriples([(p, p, literal)]) == f'<urn:p> <urn:p> "value {number}" .\n'
        del literal
        gc.collect(0)


def test_without_noise_keeps_what_is_noise_drops() -> None:
    a, b = URIRef("urn:a"), URIRef("urn:b")
    vocabulary = URIRef("https://w3id.org/notegraph/ontology#Event")
    nodes = [a, b, vocabulary, BNode("x"), Literal("l"), OWL.Thing, "urn:a"]
    predicates = [RDF.type, OWL.sameAs, RDF._1, URIRef("urn:p"), str(RDF.type)]
    triples = list(itertools.product(nodes, predicates, nodes))
    assert without_noise(triples) == [t for t in triples if not is_noise(t)]
    assert without_noise(iter(triples)) == [t for t in triples if not is_noise(t)]


def test_paths_as_pathlib_writes_them() -> None:
    parts = ["", ".", "..", "a", "b.txt", ".h", "x.", "..."]
    texts = {start + sep.join(combo) + end for n in range(1, 4)
             for combo in itertools.product(parts, repeat=n) for sep in ("/", "//")
             for start, end in (("", ""), ("/", ""), ("", "/"), ("./", ""))}
    roots = [None, Path("."), Path("/"), Path("a"), Path("/a"), Path("a/b.txt"), Path("..")]
    assert len(texts) > 1000
    for text in texts - {""}:
        assert stem(text) == Path(text).stem, text
        for root in roots:
            assert posix_text(text, root) == _path_posix(text, root), (text, root)
