#!/usr/bin/env bash
# Query a running `yushu-kg serve` with curl: CSV of the six pairings.
#   yushu-kg serve &
#   examples/curl_query.sh [http://127.0.0.1:7878/query]
set -euo pipefail
endpoint=${1:-http://127.0.0.1:7878/query}
curl --silent --show-error --fail \
  -H 'Accept: text/csv' \
  --data-urlencode 'query=PREFIX ykg: <https://w3id.org/yushu-kg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?district ?county WHERE {
  ?d ykg:pairedWith ?c .
  ?d rdfs:label ?district . FILTER(lang(?district) = "zh")
  ?c rdfs:label ?county . FILTER(lang(?county) = "zh")
} ORDER BY ?district' \
  "$endpoint"
