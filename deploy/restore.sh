#!/usr/bin/env bash
# Restore a dump made by backup.sh into DATABASE_URL (replacing what is there),
# then bring the schema up to date. Stop the web, worker and scheduler units first.
#   deploy/restore.sh backups/recruit-20261124T023000Z.dump [backups/uploads-….tar.gz]
set -euo pipefail
: "${DATABASE_URL:?DATABASE_URL is not set}"
dump=${1:?which dump file?}
url=${DATABASE_URL/postgresql+psycopg:/postgresql:}
pg_restore --clean --if-exists --no-owner --single-transaction --dbname="$url" "$dump"
if [ -n "${2:-}" ] && [ -n "${UPLOAD_DIR:-}" ]; then
  mkdir -p "$UPLOAD_DIR"
  tar -xzf "$2" -C "$UPLOAD_DIR"
fi
cd "$(dirname "$0")/.."
RECRUIT_NO_TICKER=1 "${FLASK:-.venv/bin/flask}" --app wsgi db upgrade
echo "Restored $dump"
