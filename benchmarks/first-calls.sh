#!/usr/bin/env bash
# The first calls of the push path in a fresh .NET process, each beside the same call made a second time in that
# process and the same request made by curl (the engine's and the registry's own time, measured in the same run):
# Docker client construction, engine ping, image inspect, a registry request, and an image build of push-bench.sh's
# default context with every step cached but a new LABEL (push-bench.sh's warm gap).
# Usage: benchmarks/first-calls.sh [--runs N] [--composite]   (medians of N fresh processes, default 7)
#   The build is made as push-bench.sh's warm run makes it: with a (new) build-records folder, so the base image is looked up.
#   --composite  publishes self-contained composite ReadyToRun instead of ReadyToRun (about a minute to publish).
# Needs: a Docker engine, docker-registry (Debian package), dotnet. Everything it starts or makes is removed at exit.
set -euo pipefail
runs=7 composite=
while [[ $# -gt 0 ]]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --composite) composite=1; shift ;;
    -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
    *) echo "Unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
registry_pid=''
image="cloudage-first-calls:$$"
built="cloudage-first-calls-build-$$"
cleanup() {
  [[ -n "$registry_pid" ]] && kill "$registry_pid" 2>/dev/null || true
  docker images --format '{{.Repository}}:{{.Tag}}' | grep -E "^$built:" | xargs -r docker rmi -f >/dev/null 2>&1 || true
  docker rmi -f "$image" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

source "$root/benchmarks/lib/registry.sh"
start_registry "$work"
echo base >"$work/base.txt"
tar -C "$work" -cf "$work/base.tar" base.txt
docker import "$work/base.tar" "$image" >/dev/null
# push-bench.sh's default context: the base image and two 8 MiB files.
mkdir -p "$work/context"
printf 'ARG BASE_IMAGE\nFROM ${BASE_IMAGE}\nCOPY payload.bin /payload.bin\nCOPY more.bin /more.bin\n' >"$work/context/Dockerfile"
head -c 8388608 /dev/urandom >"$work/context/payload.bin"
head -c 8388608 /dev/urandom >"$work/context/more.bin"

# A configuration per mode, as in push-bench.sh: ReadyToRun steps of the two modes must not share intermediates.
if [[ -n "$composite" ]]; then
  mode="self-contained composite ReadyToRun"
  flags=(-c ReleaseComposite --self-contained true -p:PublishReadyToRun=true -p:PublishReadyToRunComposite=true)
else
  mode="ReadyToRun"
  flags=(-c Release --self-contained false -p:PublishReadyToRun=true)
fi
echo "Publishing benchmarks/push-bench/first-calls.cs ($mode)..."
dotnet publish "$root/benchmarks/push-bench/first-calls.cs" -r linux-x64 -p:PublishAot=false -p:Optimize=true "${flags[@]}" -o "$work/out" >"$work/publish.log" 2>&1 \
  || { tail -20 "$work/publish.log" >&2; echo "Could not publish benchmarks/push-bench/first-calls.cs" >&2; exit 1; }

# The same requests from curl: what the engine and the registry take themselves, connection included.
socket="${DOCKER_HOST:-unix:///var/run/docker.sock}"
[[ "$socket" == unix://* ]] || { echo "first-calls.sh needs the engine on a Unix socket (DOCKER_HOST=unix:///...), not $socket" >&2; exit 2; }
socket="${socket#unix://}"
curl_ms() { curl -fsS -o /dev/null -w '%{time_total}' "$@" | awk '{ printf "%.1f", $1 * 1000 }'; }
# The same build from curl: the context as a tar (GNU tar, owner 0:0) whose Dockerfile ends in the LABEL line
# DockerBuilder appends, and its three build arguments. The tar is made before the clock starts; no Expect:
# 100-continue round trip. The engine answers a failed build with HTTP 200 and an error line: that stops the run.
urlencode() { python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$1"; }
curl_build() {
  local version="$1" ms
  rm -rf "$work/curl-context" && cp -r "$work/context" "$work/curl-context"
  printf 'LABEL "org.opencontainers.image.version"="%s" "org.opencontainers.image.revision"="%s" "org.opencontainers.image.source"="first-calls" "org.opencontainers.image.created"="1970-01-01T00:00:00Z"\n' \
    "$version" "$zero_sha" >>"$work/curl-context/Dockerfile"
  tar -C "$work/curl-context" -cf "$work/curl-context.tar" --owner=0 --group=0 .
  ms="$(curl -fsS -o "$work/curl-build.out" -w '%{time_total}' --unix-socket "$socket" -X POST -H 'Expect:' -H 'Content-Type: application/x-tar' \
    -T "$work/curl-context.tar" "http://localhost/build?t=$(urlencode "$built:$version")&buildargs=$(urlencode \
    "{\"BASE_IMAGE\":\"$image\",\"VERSION\":\"$version\",\"COMMIT\":\"$zero_sha\"}")")"
  if grep -q '"error' "$work/curl-build.out"; then
    cat "$work/curl-build.out" >&2
    echo "curl's image build failed (the engine's answer above)" >&2
    exit 1
  fi
  awk '{ printf "%.1f", $1 * 1000 }' <<<"$ms"
}
zero_sha=0000000000000000000000000000000000000000
# Both ways of sending the context fill the engine's build cache once, so every measured build has only its labels to commit.
curl_build warm-up >/dev/null
"$work/out/first-calls" "$image" "$registry" "$work/context" "$built" "$work/records-warm-up" >/dev/null
for run in $(seq "$runs"); do
  # Each measured step runs on its own line, so set -e stops the run on any failure (not inside a printf argument).
  "$work/out/first-calls" "$image" "$registry" "$work/context" "$built" "$work/records-$run" >"$work/program.tsv"
  sed "s/^/$run\t/" "$work/program.tsv"
  ping_ms="$(curl_ms --unix-socket "$socket" http://localhost/_ping)"
  inspect_ms="$(curl_ms --unix-socket "$socket" "http://localhost/images/$image/json")"
  registry_ms="$(curl_ms "http://$registry/v2/")"
  build_ms="$(curl_build "curl-$run")"
  printf '%s\tcurl: engine ping\t%s\n' "$run" "$ping_ms"
  printf '%s\tcurl: image inspect\t%s\n' "$run" "$inspect_ms"
  printf '%s\tcurl: registry request\t%s\n' "$run" "$registry_ms"
  printf '%s\tcurl: image build (steps cached, new labels)\t%s\n' "$run" "$build_ms"
done >"$work/times.tsv"
python3 - "$work/times.tsv" "$mode" "$runs" <<'PY'
import statistics, sys
rows = [line.rstrip("\n").split("\t") for line in open(sys.argv[1]) if line.strip()]
calls = list(dict.fromkeys(call for _, call, _ in rows))  # in the order the program made them
print(f"{'call (' + sys.argv[2] + ', median of ' + sys.argv[3] + ')':<58} {'ms':>8}")
for call in calls:
    print(f"{call:<58} {statistics.median(float(ms) for _, c, ms in rows if c == call):>8.1f}")
PY
