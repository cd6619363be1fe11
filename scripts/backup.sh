#!/usr/bin/env bash
# Back up the database (pg_dump custom format) and the media files (photos, evidence) into one folder.
#   DATABASE_URL=postgres://... MEDIA_ROOT=/app/var/media scripts/backup.sh [OUT_DIR]
# Prints the folder it wrote. Restore with scripts/restore.sh FOLDER.
set -euo pipefail
: "${DATABASE_URL:?set DATABASE_URL to the PostgreSQL database}"
media_root="${MEDIA_ROOT:-var/media}"
out="${1:-backups/$(date -u +%Y%m%dT%H%M%SZ)}"
mkdir -p "$out"
pg_dump --format=custom --no-owner --no-privileges --file="$out/database.dump" "$DATABASE_URL"
if [ -d "$media_root" ]; then
  tar -C "$media_root" -czf "$out/media.tar.gz" .
else
  tar -czf "$out/media.tar.gz" --files-from /dev/null
fi
( cd "$out" && sha256sum database.dump media.tar.gz > SHA256SUMS )
echo "$out"
