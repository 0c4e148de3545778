#!/usr/bin/env python3
"""Query a running `yushu-kg serve` with SPARQLWrapper: the official pairings
and the money allocated by year.

    yushu-kg serve &                      # http://127.0.0.1:7878/
    pip install SPARQLWrapper
    python3 examples/sparqlwrapper_pairings.py [http://127.0.0.1:7878/query]
"""
import sys

from SPARQLWrapper import JSON, SPARQLWrapper

ENDPOINT = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:7878/query"
PREFIXES = """
PREFIX ykg: <https://w3id.org/yushu-kg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""


def select(query):
    client = SPARQLWrapper(ENDPOINT)
    client.setQuery(PREFIXES + query)
    client.setReturnFormat(JSON)
    return client.queryAndConvert()["results"]["bindings"]


pairs = select("""
SELECT ?district ?county WHERE {
  ?d ykg:pairedWith ?c .
  ?d rdfs:label ?district . FILTER(lang(?district) = "zh")
  ?c rdfs:label ?county . FILTER(lang(?county) = "zh")
} ORDER BY ?district""")
print("pairings:")
for row in pairs:
    print(f"  {row['district']['value']} → {row['county']['value']}")

money = select("""
SELECT ?year (SUM(?amount) AS ?yuan) WHERE {
  ?f a ykg:Funding ; ykg:amount ?amount .
  OPTIONAL { ?f ykg:year ?y }
  BIND(COALESCE(STR(?y), "undated") AS ?year)
} GROUP BY ?year ORDER BY ?year""")
print("funding by year (yuan):")
for row in money:
    print(f"  {row['year']['value']}: {float(row['yuan']['value']):,.0f}")
