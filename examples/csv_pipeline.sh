#!/usr/bin/env bash
# A shell pipeline over `yushu-kg query --format csv`: total yuan per funder.
#   examples/csv_pipeline.sh [--store DIR]
set -euo pipefail
yushu_kg=${YUSHU_KG:-yushu-kg}
"$yushu_kg" query "$@" --format csv fundings \
  | tail -n +2 \
  | awk -F, '{ total[$1] += $3 } END { for (f in total) printf "%s\t%.0f\n", f, total[f] }' \
  | sort -t$'\t' -k2,2nr
