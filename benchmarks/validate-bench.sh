#!/usr/bin/env bash
# Times ManifestValidator over generated manifests: ./benchmarks/validate-bench.sh [count, default 500]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
exec dotnet run --configuration Release --file "$here/validate-bench.cs" -- "$here/.." "${1:-500}"
