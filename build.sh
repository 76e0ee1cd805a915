#!/usr/bin/env bash
# CloudAge build bootstrap: finds (or installs) the .NET SDK that global.json asks for, rebuilds the build program
# only when its inputs changed, and runs it directly. Usage: ./build.sh [targets] [--options]; ./build.sh --help.
set -eo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
TEMP="$ROOT/.nuke/temp"
PROJECT="$ROOT/build/_build.csproj"
OUT="$ROOT/build/bin/Bootstrap/net10.0"
DLL="$OUT/_build.dll"
STAMP="$TEMP/build.stamp"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

fail() { echo "build.sh: $*" >&2; exit 2; }

# The build program's own outputs, fingerprinted so a half-written or corrupted build is never run.
outputs_sum() { cksum "$OUT"/_build.dll "$OUT"/_build.runtimeconfig.json "$OUT"/CloudAge.*.dll 2>/dev/null | cksum; }

# Anything newer than the stamp among the build's inputs: sources, projects, package versions, global.json, and the
# folders themselves (a folder's time changes when a file is added or removed).
inputs_changed() {
  [ -f "$STAMP" ] || return 0
  [ -n "$(find "$ROOT/build" \( -name bin -o -name obj \) -prune -o -newer "$STAMP" \
      \( -name '*.cs' -o -name '*.csproj' -o -type d \) -print -quit 2>/dev/null)" ] && return 0
  [ -n "$(find "$ROOT/global.json" "$ROOT/Directory.Build.props" "$ROOT/Directory.Packages.props" -newer "$STAMP" -print -quit)" ] && return 0
  return 1
}

# Warm path: nothing changed since the last successful build, and its outputs are exactly what that build wrote.
if [ -f "$STAMP" ] && [ -f "$DLL" ] && ! inputs_changed; then
  IFS=$'\n' read -r -d '' STAMP_DOTNET STAMP_SUM < "$STAMP" || true
  if [ -x "$STAMP_DOTNET" ] && [ "$STAMP_SUM" = "$(outputs_sum)" ]; then
    exec "$STAMP_DOTNET" "$DLL" "$@"
  fi
fi

# Cold path: find an SDK that satisfies global.json (same major.minor and feature band, patch at least the one asked).
WANTED="$(sed -n 's/.*"version"[^"]*"\([0-9][0-9.]*\)".*/\1/p' "$ROOT/global.json" | head -n 1)"
[ -n "$WANTED" ] || fail "global.json has no sdk.version; see https://learn.microsoft.com/dotnet/core/tools/global-json"
satisfies() {
  local dotnet="$1" have
  for have in $("$dotnet" --list-sdks 2>/dev/null | cut -d' ' -f1); do
    # 10.0.401 is in the feature band of 10.0.400 (rollForward latestPatch): same text without the last two digits.
    [ "${have%??}" = "${WANTED%??}" ] || continue
    [ "$(printf '%s\n%s\n' "$WANTED" "$have" | sort -V | head -n1)" = "$WANTED" ] && return 0
  done
  return 1
}
DOTNET="$(command -v dotnet || true)"
if [ -z "$DOTNET" ] || ! satisfies "$DOTNET"; then
  DOTNET="$TEMP/dotnet-unix/dotnet"
  if [ ! -x "$DOTNET" ] || ! satisfies "$DOTNET"; then
    echo "build.sh: no .NET SDK $WANTED (or a later patch) on PATH; installing it into .nuke/temp/dotnet-unix" >&2
    mkdir -p "$TEMP"
    command -v curl >/dev/null || fail "curl is needed to download the .NET SDK; install curl, or install .NET SDK $WANTED yourself"
    curl -fsSL https://dot.net/v1/dotnet-install.sh -o "$TEMP/dotnet-install.sh" \
      || fail "could not download dotnet-install.sh; install .NET SDK $WANTED yourself (https://dotnet.microsoft.com/download)"
    bash "$TEMP/dotnet-install.sh" --jsonfile "$ROOT/global.json" --install-dir "$TEMP/dotnet-unix" --no-path >&2
  fi
  export DOTNET_ROOT="$TEMP/dotnet-unix" PATH="$TEMP/dotnet-unix:$PATH"
fi

mkdir -p "$TEMP"
rm -f "$STAMP"
touch "$TEMP/build.started"
if ! "$DOTNET" build "$PROJECT" -c Bootstrap -p:Optimize=true -nologo -clp:NoSummary -v:quiet >"$TEMP/build.log" 2>&1; then
  cat "$TEMP/build.log" >&2
  fail "the build program did not compile (log above, also in .nuke/temp/build.log)"
fi
"$DOTNET" "$DLL" --write-schema --no-logo >/dev/null
# The stamp's time is when the build started, so an edit made during the build still counts as a change.
printf '%s\n%s\n' "$(command -v "$DOTNET")" "$(outputs_sum)" > "$TEMP/build.stamp.next"
touch -r "$TEMP/build.started" "$TEMP/build.stamp.next"
mv "$TEMP/build.stamp.next" "$STAMP"
exec "$DOTNET" "$DLL" "$@"
