#!/usr/bin/env bash
# The national data set for the load test, in cchc_national (about 10-15 minutes on 2 cores):
# the tree and its users, DOSSIERS one-stop dossiers (default 300,000), the national
# quarterly reports, a national survey campaign with RESPONSES answers (default 50,000)
# and the ministry plan cascaded to every school.
#
#   bench/load/national_data.sh                      # DOSSIERS=300000 RESPONSES=50000
#   DOSSIERS=1000000 bench/load/national_data.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
DB=${DB:-cchc_national}
export DATABASE_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/$DB}
export DEBUG=0
DOSSIERS=${DOSSIERS:-300000}
RESPONSES=${RESPONSES:-50000}
t0=$(date +%s)
bench/generate_national.sh --dossiers "$DOSSIERS"
echo "== reporting ($(( $(date +%s) - t0 )) s)"
.venv/bin/python bench/reporting.py --rebuild --runs 1
echo "== surveys ($(( $(date +%s) - t0 )) s)"
.venv/bin/python bench/surveys.py --rebuild --runs 1 --country-runs 1 --responses "$RESPONSES" --only none
echo "== plans ($(( $(date +%s) - t0 )) s)"
.venv/bin/python bench/plans_dashboard.py --rebuild --runs 1
psql -h 127.0.0.1 -U postgres -d "$DB" -q -c "VACUUM ANALYZE"
echo "== done in $(( $(date +%s) - t0 )) s"
