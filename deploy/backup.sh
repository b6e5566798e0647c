#!/usr/bin/env bash
# Nightly backup: a custom-format pg_dump of DATABASE_URL and a tarball of
# UPLOAD_DIR (résumés), kept for KEEP_DAYS days. Restore with deploy/restore.sh.
set -euo pipefail
: "${DATABASE_URL:?DATABASE_URL is not set}"
BACKUP_DIR=${BACKUP_DIR:-./backups}
KEEP_DAYS=${KEEP_DAYS:-14}
stamp=$(date -u +%Y%m%dT%H%M%SZ)
url=${DATABASE_URL/postgresql+psycopg:/postgresql:}
mkdir -p "$BACKUP_DIR"
pg_dump --format=custom --no-owner --file="$BACKUP_DIR/recruit-$stamp.dump.part" "$url"
mv "$BACKUP_DIR/recruit-$stamp.dump.part" "$BACKUP_DIR/recruit-$stamp.dump"
if [ -n "${UPLOAD_DIR:-}" ] && [ -d "$UPLOAD_DIR" ]; then
  tar -czf "$BACKUP_DIR/uploads-$stamp.tar.gz" -C "$UPLOAD_DIR" .
fi
find "$BACKUP_DIR" -name 'recruit-*.dump' -mtime "+$KEEP_DAYS" -delete
find "$BACKUP_DIR" -name 'uploads-*.tar.gz' -mtime "+$KEEP_DAYS" -delete
echo "$BACKUP_DIR/recruit-$stamp.dump"
