#!/usr/bin/env bash
# Restore a folder written by scripts/backup.sh into DATABASE_URL (objects are replaced) and MEDIA_ROOT.
#   DATABASE_URL=postgres://... MEDIA_ROOT=/app/var/media scripts/restore.sh FOLDER
# Checks the checksums first and changes nothing if they do not match. With S3_BUCKET set the media go
# into that bucket, each object verified by its SHA-256 (manage.py media_archive restore).
set -euo pipefail
: "${DATABASE_URL:?set DATABASE_URL to the PostgreSQL database to restore into}"
src="${1:?usage: restore.sh BACKUP_FOLDER}"
media_root="${MEDIA_ROOT:-var/media}"
( cd "$src" && sha256sum --check --quiet SHA256SUMS )
pg_restore --clean --if-exists --no-owner --no-privileges --single-transaction --dbname="$DATABASE_URL" \
  "$src/database.dump"
if [ -n "${S3_BUCKET:-}" ]; then
  root="$(cd "$(dirname "$0")/.." && pwd)"
  py="${PYTHON:-python}"
  [ -x "$root/.venv/bin/python" ] && py="${PYTHON:-$root/.venv/bin/python}"
  if [ ! -f "$src/media.sha256" ]; then  # a backup of local media: list its files for the checks
    tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
    tar -C "$tmp" -xzf "$src/media.tar.gz"
    ( cd "$tmp" && find . -type f -printf '%P\0' | sort -z | xargs -0 -r sha256sum ) > "$tmp.sha256"
    cp "$src/media.tar.gz" "$tmp.tar.gz"
    "$py" "$root/manage.py" media_archive restore "$tmp.tar.gz" >/dev/null
    rm -f "$tmp.sha256" "$tmp.tar.gz"
  else
    "$py" "$root/manage.py" media_archive restore "$src/media.tar.gz" >/dev/null
  fi
else
  mkdir -p "$media_root"
  tar -C "$media_root" -xzf "$src/media.tar.gz"
fi
echo "restored $src"
