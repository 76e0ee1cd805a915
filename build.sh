#!/usr/bin/env bash
# CloudAge build bootstrap: finds (or installs) the .NET SDK that global.json asks for, rebuilds the build program
# only when its inputs changed, and runs it directly. Usage: ./build.sh [targets] [--options]; ./build.sh --help.
set -eo pipefail

# The warm path (nothing changed) runs on every command, so it forks nothing but one `find` before exec'ing the
# build program: builtins only for the root folder, the stamp and the checks.
HERE="$PWD"
case "${BASH_SOURCE[0]}" in */*) cd -- "${BASH_SOURCE[0]%/*}" ;; esac
ROOT="$PWD"
cd -- "$HERE"
TEMP="$ROOT/.nuke/temp"
PROJECT="$ROOT/build/_build.csproj"
# Published (ReadyToRun where the SDK can) into a folder of its own, away from the projects' bin/Debug outputs.
OUT="$ROOT/build/bin/Bootstrap/program"
DLL="$OUT/_build.dll"
STAMP="$TEMP/build.stamp"   # content: the dotnet that built it; time: when that build started
DONE="$TEMP/build.done"     # time: when that build's outputs were complete
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# Exit codes as the build program's: 2 for a bad value (here global.json's), 1 for a run-time failure.
fail() { echo "build.sh: $*" >&2; exit 1; }
bad_value() { echo "build.sh: $*" >&2; exit 2; }
progress() { echo "build.sh: $*" >&2; }

# Prints the first reason to rebuild, in one `find`: a build output written after the build finished (a corrupted
# or half-replaced program is never run), or an input newer than the stamp: a source, project or props file, or a
# folder of build/ (its time changes when a file is added or removed; bin/ and obj/ are created before the stamp,
# so a build's own outputs never count as a change).
stale() {
  find "$OUT" "$ROOT/build" "$ROOT/global.json" "$ROOT/Directory.Build.props" "$ROOT/Directory.Packages.props" \
    \( -path "$OUT" -o -path "$OUT/*" \) \( -newer "$DONE" -print -quit -o -true \) -o \
    \( -name bin -o -name obj \) -prune -o \
    -newer "$STAMP" \( -type d -o -name '*.cs' -o -name '*.csproj' -o -name '*.props' -o -name '*.targets' -o -name global.json \) \
    -print -quit 2>/dev/null
}

# Warm path: nothing changed since the last successful build, and its outputs are exactly what that build wrote.
if [ -f "$STAMP" ] && [ -f "$DONE" ] && [ -f "$DLL" ]; then
  IFS= read -r STAMP_DOTNET < "$STAMP" || true
  if [ -x "$STAMP_DOTNET" ] && [ -z "$(stale)" ]; then
    exec "$STAMP_DOTNET" "$DLL" "$@"
  fi
fi

# Cold path: find an SDK that satisfies global.json (same major.minor and feature band, patch at least the one asked).
WANTED="$(sed -n 's/.*"version"[^"]*"\([0-9][0-9.]*\)".*/\1/p' "$ROOT/global.json" | head -n 1)"
[ -n "$WANTED" ] || bad_value "global.json has no sdk.version; see https://learn.microsoft.com/dotnet/core/tools/global-json"
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
    progress "no .NET SDK $WANTED (or a later patch) on PATH; installing it into .nuke/temp/dotnet-unix"
    mkdir -p "$TEMP"
    command -v curl >/dev/null || fail "curl is needed to download the .NET SDK; install curl, or install .NET SDK $WANTED yourself"
    curl -fsSL https://dot.net/v1/dotnet-install.sh -o "$TEMP/dotnet-install.sh" \
      || fail "could not download dotnet-install.sh; install .NET SDK $WANTED yourself (https://dotnet.microsoft.com/download)"
    bash "$TEMP/dotnet-install.sh" --jsonfile "$ROOT/global.json" --install-dir "$TEMP/dotnet-unix" --no-path >&2
  fi
  export DOTNET_ROOT="$TEMP/dotnet-unix" PATH="$TEMP/dotnet-unix:$PATH"
fi

# ReadyToRun (precompiled code) needs the runtime identifier; without one the program is still built, only JIT-compiled.
case "$(uname -s)/$(uname -m)" in
  Linux/x86_64) RID=linux-x64 ;;
  Linux/aarch64 | Linux/arm64) RID=linux-arm64 ;;
  Darwin/arm64) RID=osx-arm64 ;;
  Darwin/x86_64) RID=osx-x64 ;;
  *) RID= ;;
esac
if [ -n "$RID" ] && [ "${RID#linux}" != "$RID" ] && ls /lib/ld-musl-* >/dev/null 2>&1; then RID="linux-musl-${RID#linux-}"; fi

# Shows what the build is doing, one line per step, while the full log goes to .nuke/temp/build.log.
show_progress() {
  local line name
  while IFS= read -r line; do
    case "$line" in
      *"Restored "*) name="${line##*/}"; progress "  restored ${name%% *} (${SECONDS} s)" ;;
      *" -> "*/) progress "  published the build program (${SECONDS} s)" ;;
      *" -> "*) name="${line%% -> *}"; progress "  compiled ${name##* } (${SECONDS} s)" ;;
      *": error "*) echo "$line" >&2 ;;
    esac
  done
}
publish() {
  "$DOTNET" publish "$PROJECT" -c Bootstrap -p:Optimize=true -o "$OUT" -nologo -tl:off -v:minimal -clp:NoSummary "$@" 2>&1 \
    | tee "$TEMP/build.log" | show_progress
}

mkdir -p "$TEMP"
rm -f "$STAMP" "$DONE"
# A fresh output folder: publish copies a file only when its source is newer, so it would keep a corrupted one.
rm -rf "$OUT"
# bin/ and obj/ of every build project exist before the stamp's time, so creating them never looks like an edit.
find "$ROOT/build" \( -name bin -o -name obj \) -prune -o -name '*.csproj' -print | while IFS= read -r csproj; do
  mkdir -p "${csproj%/*}/bin" "${csproj%/*}/obj"
done
touch "$TEMP/build.started"
SECONDS=0
progress "compiling the build program (first run, or build/ changed); the first time takes a minute or two. Log: .nuke/temp/build.log"
status=0
if [ -n "$RID" ]; then
  publish -r "$RID" --self-contained false -p:PublishReadyToRun=true || status=$?
  if [ "$status" != 0 ] && grep -qi 'crossgen' "$TEMP/build.log" && ! grep -q 'error CS' "$TEMP/build.log"; then
    progress "ReadyToRun compilation is not available here (no crossgen2 package on the feed); building without it"
    status=0
    publish || status=$?
  fi
else
  publish || status=$?
fi
if [ "$status" != 0 ] || [ ! -f "$DLL" ]; then
  fail "the build program did not compile (errors above, full log in .nuke/temp/build.log)"
fi
"$DOTNET" "$DLL" --write-schema --no-logo >/dev/null
# The stamp's time is when the build started, so an edit made during the build still counts as a change.
command -v "$DOTNET" > "$TEMP/build.stamp.next"
touch -r "$TEMP/build.started" "$TEMP/build.stamp.next"
mv "$TEMP/build.stamp.next" "$STAMP"
touch "$DONE"
progress "build program ready in ${SECONDS} s"
exec "$DOTNET" "$DLL" "$@"
