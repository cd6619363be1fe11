#!/usr/bin/env bash
# Back up the database (pg_dump custom format) and the media files (photos, evidence) into one folder.
#   DATABASE_URL=postgres://... MEDIA_ROOT=/app/var/media scripts/backup.sh [OUT_DIR]
# With S3_BUCKET set (the app's media are in a bucket), the media are every object of that bucket, read
# through the app's own settings (manage.py media_archive) and checked against their recorded SHA-256.
# Prints the folder it wrote. Restore with scripts/restore.sh FOLDER.
set -euo pipefail
: "${DATABASE_URL:?set DATABASE_URL to the PostgreSQL database}"
media_root="${MEDIA_ROOT:-var/media}"
out="${1:-backups/$(date -u +%Y%m%dT%H%M%SZ)}"
# pg_dump refuses a server newer than itself: say which client to install rather than its bare error.
client="$(pg_dump --version | awk '{print $3}' | cut -d. -f1)"
server="$(psql "$DATABASE_URL" -Atc 'SHOW server_version_num' | cut -c1-2)"
if [ "$client" -lt "$server" ]; then
  echo "backup.sh: pg_dump $client is older than the server (PostgreSQL $server); install postgresql-client $server or newer" >&2
  exit 1
fi
mkdir -p "$out"
pg_dump --format=custom --no-owner --no-privileges --file="$out/database.dump" "$DATABASE_URL"
sums=(database.dump media.tar.gz)
if [ -n "${S3_BUCKET:-}" ]; then
  root="$(cd "$(dirname "$0")/.." && pwd)"
  py="${PYTHON:-python}"
  [ -x "$root/.venv/bin/python" ] && py="${PYTHON:-$root/.venv/bin/python}"
  "$py" "$root/manage.py" media_archive create "$out/media.tar.gz" >/dev/null
  sums+=(media.sha256)
elif [ -d "$media_root" ]; then
  tar -C "$media_root" -czf "$out/media.tar.gz" .
else
  tar -czf "$out/media.tar.gz" --files-from /dev/null
fi
( cd "$out" && sha256sum "${sums[@]}" > SHA256SUMS )
echo "$out"
