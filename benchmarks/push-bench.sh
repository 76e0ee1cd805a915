#!/usr/bin/env bash
# Side-by-side timing of the raw docker CLI (docker build + docker push) and CloudAge's code path, in one run,
# against the same local registry and the same kind of context: cold (no build cache, layers new to the registry)
# and warm (build cache, layers already in the registry), plus what the warm push uploaded.
#
# Usage: benchmarks/push-bench.sh [--ours 'COMMAND'] [--raw 'COMMAND'] [--context DIR] [--base-image IMAGE] [--runs N] [--composite | --aot | --floor]
#   COMMAND templates take {context} {registry} {repo} {tag} {nocache} ({nocache} is --no-cache on cold runs, else empty).
#   --ours defaults to the small entry point benchmarks/push-bench/container-push.cs (DockerBuilder + ImagePusher);
#          later: --ours './build.sh DockerBuild PushEcr --registry {registry} ...'.
#   --composite  publishes the default entry point self-contained, its code and the .NET runtime compiled together
#          ahead of time (composite ReadyToRun; about a minute to publish), so almost nothing is JIT-compiled; not a ./build.sh mode.
#   --aot  publishes the default entry point with Native AOT instead (same code, no JIT at run time; not a ./build.sh mode).
#   --floor  publishes benchmarks/push-bench/floor-push.cs (ReadyToRun) as ours instead: only the raw CLI's two engine
#          requests over .NET's own HttpClient, no Docker.DotNet and none of the push path's checks; a floor, not a way to push.
#   --context defaults to a generated one (local base image + two 8 MiB random files, new content for every cold run,
#          so no cold run finds its layers already in the registry). A given context is used as is.
# Needs: a Docker engine, docker-registry (Debian package), dotnet. Everything it starts or makes is removed at exit.
set -euo pipefail

ours='' raw='' context='' base_image='' runs=1 aot= composite= floor=
while [[ $# -gt 0 ]]; do
  case "$1" in
    --ours) ours="$2"; shift 2 ;;
    --raw) raw="$2"; shift 2 ;;
    --context) context="$2"; shift 2 ;;
    --base-image) base_image="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --aot) aot=1; shift ;;
    --composite) composite=1; shift ;;
    --floor) floor=1; shift ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "Unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

[[ $(( ${aot:-0} + ${composite:-0} + ${floor:-0} )) -gt 1 ]] && { echo "--composite, --aot and --floor each choose what ours is; pass one (see --help)" >&2; exit 2; }
root="$(cd "$(dirname "$0")/.." && pwd)"
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

# Both sides use the engine's classic builder, which is what the Engine API builds with (API 1.41).
export DOCKER_BUILDKIT=0

source "$root/benchmarks/lib/registry.sh"
start_registry "$work"

generated=''
if [[ -z "$context" ]]; then
  generated=1
  context="$work/context"
  mkdir -p "$context" "$work/base"
  if [[ -z "$base_image" ]]; then
    base_image="cloudage-bench-base:$$"
    echo base >"$work/base/base.txt"
    tar -C "$work/base" -cf "$work/base.tar" base.txt
    docker import "$work/base.tar" "$base_image" >/dev/null
    images+=("$base_image")
  fi
  printf 'ARG BASE_IMAGE\nFROM ${BASE_IMAGE}\nCOPY payload.bin /payload.bin\nCOPY more.bin /more.bin\n' >"$context/Dockerfile"
fi
new_content() { [[ -n "$generated" ]] && head -c 8388608 /dev/urandom >"$context/payload.bin" && head -c 8388608 /dev/urandom >"$context/more.bin" || true; }

build_arg=''
zero_sha=0000000000000000000000000000000000000000
[[ -n "$base_image" ]] && build_arg="--build-arg BASE_IMAGE=$base_image"
if [[ -z "$raw" ]]; then
  # The same job as the code path: build arguments and the four OCI labels (what metadata-action + build-push-action pass).
  labels="--label org.opencontainers.image.created=1970-01-01T00:00:00Z --label org.opencontainers.image.revision=$zero_sha"
  labels+=" --label org.opencontainers.image.source=bench --label org.opencontainers.image.version={tag}"
  raw="docker build -q {nocache} $build_arg --build-arg VERSION={tag} --build-arg COMMIT=$zero_sha $labels -t {registry}/{repo}:{tag} {context}"
  raw+=" && docker push {registry}/{repo}:{tag}"
fi
if [[ -z "$ours" ]]; then
  # Published ReadyToRun as ./build.sh publishes the build program, and run directly.
  entry=container-push
  if [[ -n "$floor" ]]; then
    entry=floor-push
    echo "Publishing the floor entry point (benchmarks/push-bench/floor-push.cs, ReadyToRun)..."
    flags=(-c ReleaseFloor --self-contained false -p:PublishAot=false -p:PublishReadyToRun=true)
  elif [[ -n "$aot" ]]; then
    # Trim-analysis warnings (Polly's generic retry options) are reported, not fatal: this is a measurement build.
    echo "Publishing the benchmark entry point (benchmarks/push-bench/container-push.cs, Native AOT)..."
    flags=(-c ReleaseAot -p:PublishAot=true -p:TreatWarningsAsErrors=false)
  elif [[ -n "$composite" ]]; then
    echo "Publishing the benchmark entry point (benchmarks/push-bench/container-push.cs, self-contained composite ReadyToRun)..."
    flags=(-c ReleaseComposite --self-contained true -p:PublishAot=false -p:PublishReadyToRun=true -p:PublishReadyToRunComposite=true)
  else
    echo "Publishing the benchmark entry point (benchmarks/push-bench/container-push.cs, ReadyToRun)..."
    flags=(-c Release --self-contained false -p:PublishAot=false -p:PublishReadyToRun=true)
  fi
  # A configuration per mode: an incremental ReadyToRun step would otherwise keep assemblies compiled for another
  # mode (a composite's component assemblies cannot run without their composite image). Only Release optimizes by
  # default, so every mode says so.
  dotnet publish "$root/benchmarks/push-bench/$entry.cs" -r linux-x64 -p:Optimize=true "${flags[@]}" -o "$work/ours" >"$work/publish.log" 2>&1 \
    || { tail -20 "$work/publish.log" >&2; echo "Could not publish benchmarks/push-bench/$entry.cs" >&2; exit 1; }
  base_option=''
  [[ -n "$base_image" ]] && base_option="--base-image $base_image"
  # --records: the build records DockerBuild keeps, so the warm run reuses the cold run's image as ./build.sh would.
  ours="$work/ours/$entry {context} {registry} {repo} {tag} {nocache} $base_option --records $work/records"
fi

# Runs a command template; prints "seconds bytes" (bytes: what the run reported uploading, '-' when it cannot tell).
measure() {
  local template="$1" repo="$2" tag="$3" nocache="$4" command output start end bytes
  command="${template//\{context\}/$context}"; command="${command//\{registry\}/$registry}"
  command="${command//\{repo\}/$repo}"; command="${command//\{tag\}/$tag}"; command="${command//\{nocache\}/$nocache}"
  start="$(date +%s.%N)"
  output="$(bash -c "$command" 2>&1)" || { echo "FAILED: $command" >&2; echo "$output" | tail -20 >&2; exit 1; }
  end="$(date +%s.%N)"
  bytes="$(echo "$output" | sed -n 's/^bytes-uploaded=//p' | tail -1)"
  if [[ -z "$bytes" ]]; then
    # The CLI prints no byte counts; "Pushed" layers mean uploads, "Layer already exists" means none.
    bytes="$(echo "$output" | grep -c ': Pushed' || true) layer(s) pushed"
  fi
  echo "$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b - a }') $bytes"
}

printf '%-6s %-5s %-5s %10s  %s\n' run side cache seconds uploaded
declare -A total=()
for run in $(seq "$runs"); do
  for side in raw ours; do
    template="$raw"; [[ "$side" == ours ]] && template="$ours"
    repo="bench-$side-$run-$$"
    new_content
    read -r seconds bytes <<<"$(measure "$template" "$repo" cold --no-cache)"
    [[ -n "$seconds" ]] || exit 1 # measure printed why (it runs in a subshell, so its exit stops only itself)
    printf '%-6s %-5s %-5s %10s  %s\n' "$run" "$side" cold "$seconds" "$bytes"
    total[$side-cold]="$(awk -v a="${total[$side-cold]:-0}" -v b="$seconds" 'BEGIN { print a + b }')"
    # Warm: same context, build cache on, every layer already in the registry (a second push of an unchanged image).
    read -r seconds bytes <<<"$(measure "$template" "$repo" warm '')"
    [[ -n "$seconds" ]] || exit 1
    printf '%-6s %-5s %-5s %10s  %s\n' "$run" "$side" warm "$seconds" "$bytes"
    total[$side-warm]="$(awk -v a="${total[$side-warm]:-0}" -v b="$seconds" 'BEGIN { print a + b }')"
  done
done
for cache in cold warm; do
  awk -v c="$cache" -v r="${total[raw-$cache]}" -v o="${total[ours-$cache]}" -v n="$runs" \
    'BEGIN { printf "%s: raw %.2f s, ours %.2f s (mean of %d), ratio ours/raw %.2f\n", c, r / n, o / n, n, (r > 0 ? o / r : 0) }'
done
