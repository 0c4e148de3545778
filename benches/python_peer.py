"""The Python peer of `yushu-kg build` + `yushu-kg export --format graphml`,
for benches/run: the same job as a competent Python user would write it
with the usual stack (re, tomllib, rdflib, networkx).

    python3 benches/python_peer.py DATA_DIR OUT_PREFIX

Reads DATA_DIR/articles/*.txt (TOML front matter between +++ lines) and the
gazetteer in DATA_DIR/reference/*.toml; recognises names and aliases with a
compiled alternation, organisations by head word, money and years by regex;
builds an rdflib Dataset with one named graph per article (the article, its
title and text, its mentions with offsets, its fundings with amount, year
and evidence quote) and writes it as N-Quads to OUT_PREFIX.nq; builds a
networkx graph of the entities (an edge per pair named in one sentence,
weighted by the number of such sentences) and writes it as GraphML to
OUT_PREFIX.graphml. Prints one line:
    result peer_seconds=… entities=… quads=…
"""

import time

STARTED = time.perf_counter()

import hashlib  # noqa: E402
import itertools  # noqa: E402
import re  # noqa: E402
import sys  # noqa: E402
import tomllib  # noqa: E402
from collections import Counter  # noqa: E402
from pathlib import Path  # noqa: E402
from urllib.parse import quote  # noqa: E402

import networkx as nx  # noqa: E402
from rdflib import RDF, RDFS, XSD, Dataset, Literal, Namespace, URIRef  # noqa: E402

ONT = Namespace("https://w3id.org/yushu-kg/peer/ontology#")
RES = Namespace("https://w3id.org/yushu-kg/peer/resource/")
ENTITIES_GRAPH = URIRef("https://w3id.org/yushu-kg/peer/graph/entities")

ORG_HEAD = re.compile(r"[\u4e00-\u9fff]{2,12}(医院|学校|中学|小学|公司|集团|局|委员会)")
MONEY = re.compile(r"(\d+(?:\.\d+)?)(万元|亿元)")
YEAR = re.compile(r"(20\d\d)年")
SENTENCE = re.compile(r"[^。！？!?\n]+[。！？!?]?")
HEAD_TYPES = {
    "医院": "Hospital",
    "学校": "School",
    "中学": "School",
    "小学": "School",
    "公司": "Company",
    "集团": "Company",
    "局": "GovernmentBody",
    "委员会": "GovernmentBody",
}
UNITS = {"万元": 10_000, "亿元": 100_000_000}


def load_gazetteer(reference_dir):
    """Every written form (name, alias, former name) → (canonical name, type)."""
    forms = {}
    for path in sorted(reference_dir.glob("*.toml")):
        with open(path, "rb") as f:
            doc = tomllib.load(f)
        for table in doc.values():
            if not isinstance(table, list):
                continue
            for entry in table:
                name = entry.get("name_zh")
                if not name:
                    continue
                kind = entry.get("type", "Organization")
                for form in [name, *entry.get("aliases", []), *entry.get("former_names", [])]:
                    forms.setdefault(form, (name, kind))
    return forms


def read_article(path):
    """(front matter dict, body text) of one article file."""
    text = path.read_text(encoding="utf-8")
    if text.startswith("+++"):
        _, front, body = text.split("+++", 2)
        return tomllib.loads(front), body.lstrip("\n")
    return {}, text


def entity_iri(name):
    return RES["entity/" + quote(name, safe="")]


def main():
    data_dir, prefix = Path(sys.argv[1]), sys.argv[2]
    forms = load_gazetteer(data_dir / "reference")
    # Longest first, so 北京市东城区 wins over 北京市 at the same position.
    gazetteer = re.compile("|".join(map(re.escape, sorted(forms, key=len, reverse=True))))

    ds = Dataset()
    ds.bind("ont", ONT)
    ds.bind("res", RES)
    entities_graph = ds.graph(ENTITIES_GRAPH)
    entities = {}  # canonical name → type
    co_mentions = Counter()

    for path in sorted((data_dir / "articles").glob("*.txt")):
        front, body = read_article(path)
        article_id = str(front.get("id", path.stem))
        article = RES["article/" + quote(article_id, safe="")]
        g = ds.graph(article)
        g.add((article, RDF.type, ONT.Article))
        g.add((article, ONT.title, Literal(front.get("title", ""), lang="zh")))
        g.add((article, ONT.text, Literal(body, lang="zh")))
        if "date" in front:
            g.add((article, ONT.date, Literal(str(front["date"]))))
        article_year = str(front.get("date", ""))[:4]

        for sentence in SENTENCE.finditer(body):
            s_text, s_start = sentence.group(), sentence.start()
            found = []  # (start, end, name, type)
            for m in gazetteer.finditer(s_text):
                name, kind = forms[m.group()]
                found.append((m.start(), m.end(), name, kind))
            for m in ORG_HEAD.finditer(s_text):
                if m.group() in forms:
                    continue
                if any(a < m.end() and m.start() < b for a, b, _, _ in found):
                    continue
                found.append((m.start(), m.end(), m.group(), HEAD_TYPES[m.group(1)]))

            names = []
            for start, end, name, kind in found:
                entity = entity_iri(name)
                if name not in entities:
                    entities[name] = kind
                    entities_graph.add((entity, RDF.type, ONT[kind]))
                    entities_graph.add((entity, RDFS.label, Literal(name, lang="zh")))
                begin = s_start + start
                mention = RES[f"mention/{article_id}/{begin}"]
                g.add((article, ONT.mentions, entity))
                g.add((mention, RDF.type, ONT.Mention))
                g.add((mention, ONT.entity, entity))
                g.add((mention, ONT.inArticle, article))
                g.add((mention, ONT.start, Literal(begin)))
                g.add((mention, ONT.end, Literal(s_start + end)))
                names.append(name)

            for a, b in itertools.combinations(sorted(set(names)), 2):
                co_mentions[a, b] += 1

            year_match = YEAR.search(s_text)
            year = year_match.group(1) if year_match else article_year
            districts = [n for _, _, n, k in found if k == "District"]
            counties = [n for _, _, n, k in found if k in ("County", "Prefecture")]
            for m in MONEY.finditer(s_text):
                amount = float(m.group(1)) * UNITS[m.group(2)]
                key = hashlib.sha1(f"{article_id}/{s_start + m.start()}".encode()).hexdigest()[:16]
                funding = RES["funding/" + key]
                g.add((funding, RDF.type, ONT.Funding))
                g.add((funding, ONT.amount, Literal(f"{amount:.0f}", datatype=XSD.decimal)))
                if year:
                    g.add((funding, ONT.year, Literal(year, datatype=XSD.gYear)))
                if districts:
                    g.add((funding, ONT.funder, entity_iri(districts[0])))
                if counties:
                    g.add((funding, ONT.recipient, entity_iri(counties[0])))
                g.add((funding, ONT.quote, Literal(s_text, lang="zh")))
                g.add((funding, ONT.inArticle, article))
                g.add((funding, ONT.start, Literal(s_start + m.start())))
                g.add((funding, ONT.end, Literal(s_start + m.end())))

    ds.serialize(destination=prefix + ".nq", format="nquads")
    quads = sum(len(g) for g in ds.graphs())

    network = nx.Graph()
    for name, kind in entities.items():
        network.add_node(name, label=name, type=kind)
    for (a, b), weight in co_mentions.items():
        network.add_edge(a, b, weight=weight)
    nx.write_graphml(network, prefix + ".graphml")

    elapsed = time.perf_counter() - STARTED
    print(f"result peer_seconds={elapsed:.2f} entities={len(entities)} quads={quads}")


if __name__ == "__main__":
    main()
