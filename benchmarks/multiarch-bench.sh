#!/usr/bin/env bash
# Two-platform image build + push: CloudAge's DockerBuild + PushEcr (engine API builds with its platform parameter,
# push by digest + OCI index) against two raw `docker build --platform` + `docker push` runs of the same contexts
# (artifacts/publish/linux-x64 and linux-arm64), side by side in one run, into the same local registry.
# Cold: no build cache, new repositories, an empty push cache. Warm: build cache on, everything already in the
# registry. Prints both sides' seconds and the ratio ours/raw (goal: at most 1.10). Publish and SBOM generation are
# timed on their own lines; they are not part of the ratio (the raw side has neither).
# The raw side makes no index (the CLI's `docker manifest` is experimental here); ours also writes and verifies one.
#
# Usage: benchmarks/multiarch-bench.sh [--runs N]
# Needs: a Docker engine, docker-registry (Debian package), dotnet; the arm64 stand-in base image needs
# libc6:arm64 libstdc++6:arm64 (see scripts/make-local-base-image.sh). Everything it starts or makes is removed at exit.
set -euo pipefail

runs=1
while [[ $# -gt 0 ]]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "Unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
work="$(mktemp -d)"
registry_pid=''
images=()
cleanup() {
  [[ -n "$registry_pid" ]] && kill "$registry_pid" 2>/dev/null || true
  [[ ${#images[@]} -gt 0 ]] && docker rmi -f "${images[@]}" >/dev/null 2>&1 || true
  # Every image this run tagged: its repositories end in "-$$" (measure() runs in a subshell, so no list would see them).
  docker images --format '{{.Repository}}:{{.Tag}}' | grep -E "(^|/)bench-(raw|ours)-[0-9]+-$$:" | xargs -r docker rmi -f >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
export DOCKER_BUILDKIT=0 NO_COLOR=1

base="cloudage-bench/runtime-deps:10.0"
scripts/make-local-base-image.sh "$base" >/dev/null

source "$root/benchmarks/lib/registry.sh"
start_registry "$work"

seconds() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
timed() { local start end; start="$(date +%s.%N)"; "$@" >"$work/last.log" 2>&1 || { tail -30 "$work/last.log" >&2; echo "FAILED: $*" >&2; exit 1; }; end="$(date +%s.%N)"; seconds "$start" "$end"; }

echo "Warming the build program (./build.sh --help)..."
./build.sh --help >/dev/null
sha="$(git rev-parse --short=7 HEAD)"
common=(--no-logo --registry "$registry" --scanner none --base-image "$base" --platforms linux/amd64,linux/arm64)

echo "publish (both runtimes, self-contained): $(timed ./build.sh Publish --skip Restore Compile "${common[@]}") s"
echo "sbom (CycloneDX tool, restore skipped):  $(timed ./build.sh Sbom --skip Restore "${common[@]}") s"

ours() { # repo nocache
  XDG_CACHE_HOME="$work/cache-$1" ./build.sh DockerBuild PushEcr --skip Restore Compile Publish Sbom "${common[@]}" --ecr-repository "$1" $2
}
raw() { # repo nocache
  local arch rid base_image
  for arch in amd64 arm64; do
    rid=linux-x64; [[ "$arch" == arm64 ]] && rid=linux-arm64
    base_image="$base"; [[ "$arch" == arm64 ]] && base_image="$base-arm64"
    docker build -q $2 --platform "linux/$arch" --build-arg "BASE_IMAGE=$base_image" --build-arg VERSION=bench --build-arg "COMMIT=$sha" \
      -t "$registry/$1:sha-$sha-$arch" "artifacts/publish/$rid" >/dev/null
    docker push -q "$registry/$1:sha-$sha-$arch" >/dev/null
  done
}

printf '%-4s %-5s %-5s %8s\n' run side cache seconds
declare -A total=()
for run in $(seq "$runs"); do
  for side in raw ours; do
    repo="bench-$side-$run-$$"
    s="$(timed "$side" "$repo" --no-cache)"
    printf '%-4s %-5s %-5s %8s\n' "$run" "$side" cold "$s"
    total[$side-cold]="$(awk -v a="${total[$side-cold]:-0}" -v b="$s" 'BEGIN { print a + b }')"
    s="$(timed "$side" "$repo" '')"
    uploaded=''
    [[ "$side" == ours ]] && uploaded="  ($(grep -o '[0-9]* layer bytes uploaded' "$work/last.log" | tail -1))"
    printf '%-4s %-5s %-5s %8s%s\n' "$run" "$side" warm "$s" "$uploaded"
    total[$side-warm]="$(awk -v a="${total[$side-warm]:-0}" -v b="$s" 'BEGIN { print a + b }')"
  done
done
for cache in cold warm; do
  awk -v c="$cache" -v r="${total[raw-$cache]}" -v o="${total[ours-$cache]}" -v n="$runs" \
    'BEGIN { printf "%s: raw %.2f s, ours %.2f s (mean of %d), ratio ours/raw %.2f (goal <= 1.10)\n", c, r / n, o / n, n, (r > 0 ? o / r : 0) }'
done
