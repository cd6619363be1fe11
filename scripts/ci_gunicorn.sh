#!/usr/bin/env bash
# CI: start the container's gunicorn command line (the Dockerfile CMD, which compose's `web` also runs)
# outside Docker against DATABASE_URL, with the production settings, and require /healthz to answer 200.
#   DATABASE_URL=postgres://... scripts/ci_gunicorn.sh
set -euo pipefail
cd "$(dirname "$0")/.."
: "${DATABASE_URL:?set DATABASE_URL to a PostgreSQL database (created when missing)}"
py=.venv/bin/python

# The command line is read from the Dockerfile, so CI cannot drift from the image.
cmd="$($py -c 'import json, re, sys
text = open("Dockerfile", encoding="utf-8").read()
print(" ".join(json.loads(re.search(r"^CMD (\[.*\])$", text, re.M).group(1))))')"
web="$(.venv/bin/docker-compose config --format json | $py -c 'import json, sys; print(" ".join(json.load(sys.stdin)["services"]["web"]["command"]))')"
case "$web" in
  *"$cmd"*) ;;
  *) echo "compose web does not run the Dockerfile's command line: '$cmd' not in '$web'" >&2; exit 1 ;;
esac
echo "command line: $cmd"

export DJANGO_SETTINGS_MODULE=renovation.settings.production
export SECRET_KEY="${SECRET_KEY:-ci-gunicorn-$(head -c 24 /dev/urandom | base64)}"
# Nothing else may hold the container's port on a CI or developer machine, so the port is free to move.
export PORT="${GUNICORN_CHECK_PORT:-18000}" GUNICORN_HOST=127.0.0.1
db_name="${DATABASE_URL##*/}"
db_name="${db_name%%\?*}"
server="${DATABASE_URL%/*}/postgres"
if [ "$(psql "$server" -Atc "SELECT 1 FROM pg_database WHERE datname = '$db_name'")" != 1 ]; then
  psql "$server" -qc "CREATE DATABASE \"$db_name\""
fi
$py manage.py migrate --noinput >/dev/null

log="$(mktemp)"
# shellcheck disable=SC2086 # the command line is split into words as Docker's exec form would be
PATH="$PWD/.venv/bin:$PATH" setsid $cmd >"$log" 2>&1 &
pid=$!
stop() { kill -TERM -- "-$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; }
trap stop EXIT

status=""
for _ in $(seq 60); do
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "gunicorn exited before answering:" >&2; cat "$log" >&2; exit 1
  fi
  status="$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/healthz" || true)"
  [ "$status" = 200 ] && break
  sleep 1
done
if [ "$status" != 200 ]; then
  echo "/healthz answered '${status:-nothing}' instead of 200:" >&2; cat "$log" >&2; exit 1
fi
echo "/healthz answered 200"
stop
trap - EXIT
# A worker that crashed on the way down would show here.
if grep -q "Traceback" "$log"; then cat "$log" >&2; exit 1; fi
