#!/usr/bin/env bash
# Restore a folder written by scripts/backup.sh into DATABASE_URL (objects are replaced) and MEDIA_ROOT.
#   DATABASE_URL=postgres://... MEDIA_ROOT=/app/var/media scripts/restore.sh FOLDER
# Checks the checksums first and changes nothing if they do not match.
set -euo pipefail
: "${DATABASE_URL:?set DATABASE_URL to the PostgreSQL database to restore into}"
src="${1:?usage: restore.sh BACKUP_FOLDER}"
media_root="${MEDIA_ROOT:-var/media}"
( cd "$src" && sha256sum --check --quiet SHA256SUMS )
pg_restore --clean --if-exists --no-owner --no-privileges --single-transaction --dbname="$DATABASE_URL" \
  "$src/database.dump"
mkdir -p "$media_root"
tar -C "$media_root" -xzf "$src/media.tar.gz"
echo "restored $src"
