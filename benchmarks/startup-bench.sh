#!/usr/bin/env bash
# Start-up and engine-overhead benchmark, every figure beside its baseline measured in the same run:
#  1. warm `./build.sh --help` vs the built program run directly vs a hello-world `dotnet` console program
#     (built here, same SDK); with NUKE_PATTERN=1 also NUKE's bootstrap pattern (`dotnet build` + `dotnet run --no-build`);
#     goal: warm ./build.sh --help at most 3x hello world;
#  2. engine overhead per target: 200 no-op targets vs 1;
#  3. --parallel vs sequential on independent sleeping targets.
# Usage: benchmarks/startup-bench.sh [runs]   (default 15; medians are printed)
# The three start-up commands are measured round-robin, so a busy machine slows them alike. Wall time is the goal;
# CPU time (user + system) is printed beside it because it moves less when other processes share the cores.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${1:-15}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 NO_COLOR=1

now() { date +%s%N; }
median_ms() { sort -n | awk '{a[NR]=$1} END {m = (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2; printf "%.0f", m / 1e6}'; }
measure() { # runs a command RUNS times, prints the median wall time in ms
  local i start
  for i in $(seq "$RUNS"); do start=$(now); "$@" >/dev/null 2>&1; echo $(( $(now) - start )); done | median_ms
}
# The children's user + system CPU time so far, in ms, in CPU_MS. `times` must run in this shell: a subshell's
# children start from zero. Parsed with builtins only, so measuring adds no child process of its own.
cpu_ms() {
  local self children_user children_system
  times > "$BENCH/times"
  { read -r self; read -r children_user children_system; } < "$BENCH/times"
  to_ms "$children_user"; local user=$REPLY
  to_ms "$children_system"; CPU_MS=$(( user + REPLY ))
}
to_ms() { # "1m2.345s" -> 62345
  local minutes=${1%%m*} rest=${1#*m}
  rest=${rest%s}
  local seconds=${rest%.*} fraction="${rest#*.}000"
  REPLY=$(( 10#$minutes * 60000 + 10#$seconds * 1000 + 10#${fraction:0:3} ))
}

BENCH=$(mktemp -d)
trap 'rm -rf "$BENCH"' EXIT

./build.sh --help >/dev/null   # make sure the build program is built and the stamp is fresh
DLL=build/bin/Bootstrap/program/_build.dll

# The floor: a hello-world console program on the same runtime, built now with the same SDK.
mkdir -p "$BENCH/hello"
printf '%s\n' '<Project Sdk="Microsoft.NET.Sdk"><PropertyGroup><OutputType>Exe</OutputType><TargetFramework>net10.0</TargetFramework>' \
  '<ImplicitUsings>enable</ImplicitUsings><ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally></PropertyGroup></Project>' > "$BENCH/hello/hello.csproj"
echo 'System.Console.WriteLine("Hello, World!");' > "$BENCH/hello/Program.cs"
dotnet build "$BENCH/hello/hello.csproj" -c Release -nologo -v:quiet -o "$BENCH/hello/out" >/dev/null

declare -A WALL CPU
names=(hello direct warm)
run_one() {
  case "$1" in
    hello) dotnet "$BENCH/hello/out/hello.dll" ;;
    direct) dotnet "$DLL" --help ;;
    warm) ./build.sh --help ;;
  esac
}
for name in "${names[@]}"; do run_one "$name" >/dev/null 2>&1; : > "$BENCH/$name.wall"; : > "$BENCH/$name.cpu"; done  # warm the file cache
for i in $(seq "$RUNS"); do
  for name in "${names[@]}"; do
    start=$(now); cpu_ms; before=$CPU_MS
    run_one "$name" >/dev/null 2>&1
    cpu_ms; end=$(now)
    echo $(( end - start )) >> "$BENCH/$name.wall"
    echo $(( (CPU_MS - before) * 1000000 )) >> "$BENCH/$name.cpu"
  done
done
for name in "${names[@]}"; do WALL[$name]=$(median_ms < "$BENCH/$name.wall"); CPU[$name]=$(median_ms < "$BENCH/$name.cpu"); done
# NUKE's pattern compiles the build a second time in another configuration, minutes on a busy machine: on request only.
nuke_pattern() { dotnet build build/_build.csproj -c Bootstrap -p:Optimize=true -nologo -v:quiet && dotnet run --no-build --project build/_build.csproj -c Bootstrap -- --help; }
nuke=0
[ "${NUKE_PATTERN:-0}" = 1 ] && nuke=$(RUNS=$(( RUNS > 3 ? 3 : RUNS )); measure nuke_pattern)

echo "== Start-up: nothing changed (median of $RUNS round-robin runs; NUKE pattern of up to 3) =="
printf '%-46s %8s %8s\n' "what" "wall" "cpu"
printf '%-46s %5s ms %5s ms\n' \
  "hello-world dotnet program (baseline)" "${WALL[hello]}" "${CPU[hello]}" \
  "built program run directly (--help)" "${WALL[direct]}" "${CPU[direct]}" \
  "./build.sh --help (warm)" "${WALL[warm]}" "${CPU[warm]}"
[ "$nuke" != 0 ] && printf '%-46s %5s ms\n' "NUKE pattern: dotnet build + dotnet run" "$nuke"
awk -v w="${WALL[warm]}" -v d="${WALL[direct]}" -v h="${WALL[hello]}" -v cw="${CPU[warm]}" -v ch="${CPU[hello]}" -v n="$nuke" 'BEGIN {
  r = w / h
  printf "warm / hello world = %.2fx wall, %.2fx cpu (goal <= 3x: %s); direct / hello world = %.2fx; ./build.sh itself adds %d ms\n",
    r, cw / ch, (r <= 3 ? "met" : "NOT met"), d / h, w - d
  if (n > 0) printf "NUKE pattern / warm = %.1fx\n", n / w }'

# A scratch build of generated targets, on the same engine, outside the repository.
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
