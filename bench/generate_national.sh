#!/usr/bin/env bash
# The national-scale data set on PostgreSQL: recreate the database, migrate, generate
# (63 → 34 provinces, ~700 district offices, 3,321 commune offices, 50,000 schools),
# then print the row counts and the plan of one subtree query.
#
#   bench/generate_national.sh                     # full defaults
#   bench/generate_national.sh --schools 5000      # extra options go to `cchc generate`
#   bench/generate_national.sh --dossiers 5000000  # plus the one-stop desk's dossiers
#
# The database (default cchc_national) is kept for the other benchmarks.
set -euo pipefail
cd "$(dirname "$0")/.."

DB=${DB:-cchc_national}
PG="-h 127.0.0.1 -U postgres"
export DATABASE_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/$DB}
export DEBUG=0
OUT=var/bench
mkdir -p "$OUT"

psql $PG -q -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
.venv/bin/cchc migrate --noinput -v0

echo "== cchc generate --scale national $*"
/usr/bin/time -v -o "$OUT/generate-time.txt" .venv/bin/cchc generate --scale national "$@"
grep -E "Elapsed \(wall clock\)|Maximum resident set size|Percent of CPU" "$OUT/generate-time.txt"

psql $PG -d "$DB" -q -c "VACUUM ANALYZE"

echo "== rows per table"
psql $PG -d "$DB" -c "
  SELECT 'orgs_orgunit' AS table, count(*) FROM orgs_orgunit
  UNION ALL SELECT 'orgs_unitplacement', count(*) FROM orgs_unitplacement
  UNION ALL SELECT 'orgs_unitsuccession', count(*) FROM orgs_unitsuccession
  UNION ALL SELECT 'orgs_membership', count(*) FROM orgs_membership
  UNION ALL SELECT 'auth_user', count(*) FROM auth_user
  UNION ALL SELECT 'core_auditevent', count(*) FROM core_auditevent
  UNION ALL SELECT 'dossiers_dossier', count(*) FROM dossiers_dossier
  UNION ALL SELECT 'dossiers_dossierevent', count(*) FROM dossiers_dossierevent
  UNION ALL SELECT 'dossiers_dossiercounter', count(*) FROM dossiers_dossiercounter"
psql $PG -d "$DB" -c "
  SELECT kind, school_level, count(*) AS units, count(closed_on) AS closed
  FROM orgs_orgunit GROUP BY kind, school_level ORDER BY kind, school_level"
psql $PG -d "$DB" -c "SELECT pg_size_pretty(pg_database_size('$DB')) AS database_size"

# The current subtree of one department: the largest (Hồ Chí Minh) and Hưng Yên.
for name in "Sở Giáo dục và Đào tạo thành phố Hồ Chí Minh" "Sở Giáo dục và Đào tạo tỉnh Hưng Yên"; do
  path=$(psql $PG -d "$DB" -At -c "SELECT path FROM orgs_orgunit WHERE name = '$name' AND closed_on IS NULL")
  echo "== EXPLAIN ANALYZE: current subtree of $name ($path)"
  psql $PG -d "$DB" -c "EXPLAIN (ANALYZE, BUFFERS)
    SELECT id, name, kind, school_level, path FROM orgs_orgunit
    WHERE path LIKE '$path%' AND closed_on IS NULL ORDER BY path"
done

echo "== the same through the ORM (selectors.subtree, which casts path::text)"
.venv/bin/cchc shell -c "
from cchc.orgs.models import OrgUnit
from cchc.orgs import selectors
unit = OrgUnit.objects.get(name='Sở Giáo dục và Đào tạo thành phố Hồ Chí Minh', closed_on=None)
qs = selectors.subtree(unit, include_closed=False).only('id', 'name', 'kind', 'path')
print(qs.query)
print(qs.explain(analyze=True))
"

echo "== a past subtree (selectors.subtree_on): an old district office on 01/03/2025"
.venv/bin/cchc shell -c "
import datetime as dt, time
from cchc.orgs.models import OrgUnit
from cchc.orgs import selectors
office = OrgUnit.objects.filter(kind='district_office').order_by('pk')[300]
qs = selectors.subtree_on(office, dt.date(2025, 3, 1))
print(office.name, office.path)
print(qs.explain(analyze=True))
t = time.perf_counter(); n = len(list(qs)); print(f'{n} units in {1000 * (time.perf_counter() - t):.1f} ms')
dept = OrgUnit.objects.get(name='Sở Giáo dục và Đào tạo tỉnh Thái Bình')
t = time.perf_counter(); n = selectors.subtree_on(dept, dt.date(2025, 3, 1)).count()
print(f'{dept.name} on 01/03/2025: {n} units in {1000 * (time.perf_counter() - t):.1f} ms')
"
