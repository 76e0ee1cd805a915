#!/usr/bin/env bash
# Times ManifestValidator.
#   ./benchmarks/validate-bench.sh [count]      steady state over count generated manifests (default 500)
#   ./benchmarks/validate-bench.sh --mb [MB]    one run over MB megabytes (default 50) of manifests in one file, under
#                                               /usr/bin/time -v, beside the baseline measured in the same run: YamlDotNet
#                                               parsing the same file and nothing else. Goal: under 10 s and under 1 GB.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
bench=(dotnet run --configuration Release --file "$here/validate-bench.cs" --)
if [[ "${1:-}" != "--mb" ]]; then
  exec "${bench[@]}" "$here/.." "${1:-500}"
fi

megabytes="${2:-50}"
work="$(mktemp -d "${TMPDIR:-/tmp}/cloudage-validate-mb-XXXXXX")"
trap 'rm -rf "$work"' EXIT
"${bench[@]}" generate "$here/.." "$megabytes" "$work"
run=(dotnet run --no-build --configuration Release --file "$here/validate-bench.cs" --)

measure() { # mode: prints the program's own line, then CPU, wall time and peak RSS as /usr/bin/time -v saw them; sets cpu
  /usr/bin/time -v "${run[@]}" "$1" "$work" 2>"$work/time.txt" | sed 's/^/  /'
  local wall rss user system
  wall="$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$work/time.txt")"
  rss="$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$work/time.txt")"
  user="$(sed -n 's/.*User time (seconds): //p' "$work/time.txt")"
  system="$(sed -n 's/.*System time (seconds): //p' "$work/time.txt")"
  cpu="$(echo "$user + $system" | bc)"
  printf '%-9s CPU %.2f s (user %s + system %s), wall %s, peak RSS %d MB (/usr/bin/time -v, dotnet run included)\n' \
    "$1" "$cpu" "$user" "$system" "$wall" "$((rss / 1024))"
}

echo "baseline (YamlDotNet parse only, same file):"
measure parse
baseline="$cpu"
echo "Validate (every rule):"
measure validate
echo "Validate/baseline CPU: $(echo "scale=2; $cpu / $baseline" | bc)x"
echo "goal: Validate over ${megabytes} MB in under 10 s and under 1 GB (1024 MB). Wall time measures the neighbours on a"
echo "shared machine (load average now: $(cut -d' ' -f1 /proc/loadavg) on $(nproc) cores): compare CPU time and the ratio."
