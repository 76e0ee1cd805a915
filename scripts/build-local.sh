#!/usr/bin/env bash
# Builds the CloudAge image and runs it on http://127.0.0.1:8080 with a smoke check: ./build.sh RunLocal.
# Needs: a running Docker engine. Without access to mcr.microsoft.com, pass a local base image, e.g.
#   scripts/make-local-base-image.sh cloudage-local/runtime-deps:10.0
#   scripts/build-local.sh --base-image cloudage-local/runtime-deps:10.0
set -euo pipefail
cd "$(dirname "$0")/.."
command -v docker >/dev/null || { echo "build-local.sh needs Docker: install it (apt-get install docker.io) and start dockerd." >&2; exit 1; }
exec ./build.sh RunLocal "$@"
