#!/usr/bin/env sh
# Container start: apply migrations, then serve with several workers.
set -eu
reprise db upgrade
exec reprise serve --host 0.0.0.0 --port 8000 --workers "${WORKERS:-2}"
