#!/usr/bin/env bash
# Installs (if needed) and starts a local PostgreSQL for medvigil's tests and
# benchmarks, listening on loopback only, and prints the URL to use as
# MEDVIGIL_TEST_POSTGRES. Idempotent.
set -euo pipefail
# Only the URL goes to standard output (callers capture it); all else to stderr.
exec 3>&1 1>&2
if ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql >&2
fi
ver=$(ls /usr/lib/postgresql | sort -V | tail -n1)
if ! pg_lsclusters -h 2>/dev/null | grep -q "^$ver main"; then
  pg_createcluster "$ver" main >&2
fi
# The server outlives this script: it must not inherit any of our file
# descriptors, or a caller reading our output through a pipe (`$(...)`, a CI
# log) would wait for end-of-file forever.
log=$(mktemp)
if ! pg_ctlcluster "$ver" main start </dev/null >"$log" 2>&1 3>&-; then
  cat "$log"
fi
rm -f "$log"
for _ in $(seq 1 30); do
  pg_isready -q -h 127.0.0.1 && break
  sleep 1
done
su postgres -c "psql -qtAc \"SELECT 1 FROM pg_roles WHERE rolname='medvigil'\"" | grep -q 1 \
  || su postgres -c "psql -qc \"CREATE ROLE medvigil LOGIN SUPERUSER PASSWORD 'medvigil'\"" >&2
su postgres -c "psql -qtAc \"SELECT 1 FROM pg_database WHERE datname='medvigil'\"" | grep -q 1 \
  || su postgres -c "createdb -O medvigil medvigil" >&2
echo "postgres://medvigil:medvigil@127.0.0.1:5432/medvigil" >&3
