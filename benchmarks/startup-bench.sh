#!/usr/bin/env bash
# Start-up and engine-overhead benchmark, every figure beside its baseline measured in the same run:
#  1. warm `./build.sh --help` vs the built program run directly vs NUKE's bootstrap pattern
#     (`dotnet build` + `dotnet run --no-build` on the same build project);
#  2. engine overhead per target: 200 no-op targets vs 1;
#  3. --parallel vs sequential on independent sleeping targets.
# Usage: benchmarks/startup-bench.sh [runs]   (default 15; medians are printed)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${1:-15}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 NO_COLOR=1

now() { date +%s%N; }
median_ms() { sort -n | awk '{a[NR]=$1} END {m = (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2; printf "%.0f", m / 1e6}'; }
measure() { # runs a command RUNS times, prints the median in ms
  local i start
  for i in $(seq "$RUNS"); do start=$(now); "$@" >/dev/null 2>&1; echo $(( $(now) - start )); done | median_ms
}

./build.sh --help >/dev/null   # make sure the build program is built and the stamp is fresh
DLL=build/bin/Bootstrap/net10.0/_build.dll
nuke_pattern() { dotnet build build/_build.csproj -c Bootstrap -p:Optimize=true -nologo -v:quiet && dotnet run --no-build --project build/_build.csproj -c Bootstrap -- --help; }

warm=$(measure ./build.sh --help)
direct=$(measure dotnet "$DLL" --help)
nuke=$(RUNS=$(( RUNS > 5 ? 5 : RUNS )); measure nuke_pattern)
echo "== Start-up: ./build.sh --help, nothing changed (median of $RUNS runs; NUKE pattern of up to 5) =="
printf '%-46s %8s\n' "what" "median"
printf '%-46s %6s ms\n' "./build.sh --help (warm)" "$warm" "built program run directly" "$direct" "NUKE pattern: dotnet build + dotnet run" "$nuke"
awk -v w="$warm" -v d="$direct" -v n="$nuke" 'BEGIN { printf "warm / direct = %.2fx (goal <= 3x); NUKE / warm = %.1fx; goal warm <= 300 ms: %s\n", w/d, n/w, (w <= 300 ? "met" : "NOT met") }'

# A scratch build of generated targets, on the same engine, outside the repository.
BENCH=$(mktemp -d)
trap 'rm -rf "$BENCH"' EXIT
{
  echo 'using CloudAge.Engine;'
  echo 'public sealed class Bench : BuildBase {'
  echo '  public static int Main() => Execute<Bench>(x => x.T1);'
  for i in $(seq 1 200); do
    if [ "$i" -eq 1 ]; then echo "  Target T1 => _ => _.Executes(() => { });"; else echo "  Target T$i => _ => _.DependsOn(T$((i-1))).Executes(() => { });"; fi
  done
  echo '  Target SleepLong => _ => _.Executes(() => Task.Delay(1000));'
  echo '  Target SleepShort => _ => _.Executes(() => Task.Delay(600));'
  echo '}'
} > "$BENCH/Bench.cs"
cat > "$BENCH/Bench.csproj" <<PROJ
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><OutputType>Exe</OutputType><TargetFramework>net10.0</TargetFramework><ImplicitUsings>enable</ImplicitUsings>
  <Nullable>enable</Nullable><ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally><NoWarn>CA1515;CA1822;CA1707</NoWarn></PropertyGroup>
  <ItemGroup><ProjectReference Include="$PWD/build/Engine/CloudAge.Engine.csproj" /></ItemGroup>
</Project>
PROJ
mkdir -p "$BENCH/.nuke"
dotnet build "$BENCH/Bench.csproj" -c Release -nologo -v:quiet -o "$BENCH/out" >/dev/null
one=$(cd "$BENCH" && measure dotnet out/Bench.dll T1 --no-logo --verbosity quiet)
many=$(cd "$BENCH" && measure dotnet out/Bench.dll T200 --no-logo --verbosity quiet)
echo
echo "== Engine overhead per target (median of $RUNS runs) =="
printf '%-46s %6s ms\n' "1 no-op target" "$one" "200 no-op targets in a chain" "$many"
awk -v a="$one" -v b="$many" 'BEGIN { printf "per target: %.2f ms (goal < 5 ms)\n", (b-a)/199 }'

seq_ms=$(cd "$BENCH" && RUNS=3 measure dotnet out/Bench.dll SleepLong SleepShort --no-logo --verbosity quiet)
par_ms=$(cd "$BENCH" && RUNS=3 measure dotnet out/Bench.dll SleepLong SleepShort --parallel --no-logo --verbosity quiet)
echo
echo "== --parallel: independent targets sleeping 1000 ms and 600 ms (median of 3 runs) =="
printf '%-46s %6s ms\n' "sequential (sum is 1600 ms)" "$seq_ms" "--parallel (longest is 1000 ms)" "$par_ms"
