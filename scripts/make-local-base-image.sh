#!/usr/bin/env bash
# Builds local stand-ins for mcr.microsoft.com/dotnet/runtime-deps (which cannot be pulled here) from the host's own
# C runtime, one per platform: NAME:TAG for linux/amd64 and NAME:TAG-arm64 for linux/arm64 (what ./build.sh
# --base-image NAME:TAG picks per platform). Usage:
#   scripts/make-local-base-image.sh cloudage-local/runtime-deps:10.0
#   docker build --build-arg BASE_IMAGE=cloudage-local/runtime-deps:10.0 ...
# Like the real image it has the libraries a self-contained .NET app loads, /tmp, an 'app' user with UID 1654
# (runtime-deps' APP_UID) and ASPNETCORE_HTTP_PORTS=8080. No ICU (the app is InvariantGlobalization) and no
# OpenSSL (the app makes no TLS calls). With busybox-static installed the amd64 one also gets /bin/sh and friends.
# The arm64 libraries come from Debian multiarch (.ci/run installs them):
#   dpkg --add-architecture arm64 && apt-get update && apt-get install libc6:arm64 libstdc++6:arm64
# Without them only the amd64 image is made, with a warning. Running the arm64 image needs qemu-user-static.
# Idempotent: an image already holding this recipe's label is left alone.
set -euo pipefail

if [[ $# -ne 1 || "$1" != *:* ]]; then
  echo "Usage: $0 NAME:TAG   (for example cloudage-local/runtime-deps:10.0)" >&2
  exit 2
fi
image="$1"
# Bump when the recipe below changes, so existing stand-ins are rebuilt rather than silently reused.
recipe="2"
label="org.cloudage.local-base-recipe"


# make_image PLATFORM-ARCH LIBDIR LOADER-LINK LOADER TARGET
make_image() {
  local arch="$1" libdir="$2" loader_link="$3" loader="$4" target="$5" existing work root tarball
  existing="$(docker image inspect --format "{{ index .Config.Labels \"$label\" }} {{ .Architecture }}" "$target" 2>/dev/null || true)"
  if [[ "$existing" == "$recipe $arch" ]]; then
    echo "$target already present (recipe $recipe, linux/$arch)."
    return 0
  fi
  work="$(mktemp -d)"
  root="$work/rootfs"
  mkdir -p "$root$libdir" "$root$(dirname "$loader_link")" "$root/etc" "$root/tmp" "$root/home/app" "$root/app" "$root/bin"
  for lib in libc.so.6 libm.so.6 libdl.so.2 librt.so.1 libpthread.so.0 libgcc_s.so.1 libstdc++.so.6 "$loader"; do
    if [[ ! -e "$libdir/$lib" ]]; then
      rm -rf "$work"
      echo "Missing $libdir/$lib on this machine; install libc6, libgcc-s1 and libstdc++6 for $arch (see this script's header)." >&2
      return 1
    fi
    cp -L "$libdir/$lib" "$root$libdir/$lib"
  done
  ln -s "$libdir/$loader" "$root$loader_link"
  if [[ "$arch" == amd64 && -x /bin/busybox ]]; then
    cp /bin/busybox "$root/bin/busybox"
    for tool in sh id ls cat ps wget env; do ln -s busybox "$root/bin/$tool"; done
  fi
  printf 'root:x:0:0:root:/root:/sbin/nologin\napp:x:1654:1654:app:/home/app:/sbin/nologin\n' >"$root/etc/passwd"
  printf 'root:x:0:\napp:x:1654:\n' >"$root/etc/group"
  chmod 1777 "$root/tmp"
  # Everything is root-owned except the app user's home; numeric owners so the host's users do not leak in.
  # Fixed times, so the same libraries always give the same image.
  tarball="$work/rootfs.tar"
  tar --numeric-owner --owner=0 --group=0 --mtime=@0 -C "$root" --exclude=./home/app -cf "$tarball" .
  tar --numeric-owner --owner=1654 --group=1654 --mtime=@0 -C "$root" -rf "$tarball" ./home/app
  # docker import always records the engine's own architecture (moby 20.10 ImportImage uses runtime.GOARCH), so the
  # image is loaded from a docker-save layout whose config names the platform.
  local diff_id config_file
  diff_id="sha256:$(sha256sum "$tarball" | cut -d' ' -f1)"
  mkdir -p "$work/load/layer"
  mv "$tarball" "$work/load/layer/layer.tar"
  printf '{"architecture":"%s","os":"linux","created":"1970-01-01T00:00:00Z","config":{"Env":["APP_UID=1654","ASPNETCORE_HTTP_PORTS=8080","DOTNET_RUNNING_IN_CONTAINER=true","PATH=/bin"],"Labels":{"%s":"%s"}},"rootfs":{"type":"layers","diff_ids":["%s"]},"history":[{"created":"1970-01-01T00:00:00Z","created_by":"scripts/make-local-base-image.sh"}]}' \
    "$arch" "$label" "$recipe" "$diff_id" >"$work/config.json"
  config_file="$(sha256sum "$work/config.json" | cut -d' ' -f1).json"
  mv "$work/config.json" "$work/load/$config_file"
  printf '[{"Config":"%s","RepoTags":["%s"],"Layers":["layer/layer.tar"]}]' "$config_file" "$target" >"$work/load/manifest.json"
  tar -C "$work/load" -cf "$work/image.tar" .
  docker load -q -i "$work/image.tar" >/dev/null
  rm -rf "$work"
  echo "$target imported (recipe $recipe, linux/$arch)."
}

make_image amd64 /lib/x86_64-linux-gnu /lib64/ld-linux-x86-64.so.2 ld-linux-x86-64.so.2 "$image"
if [[ -e /lib/aarch64-linux-gnu/libc.so.6 ]]; then
  make_image arm64 /lib/aarch64-linux-gnu /lib/ld-linux-aarch64.so.1 ld-linux-aarch64.so.1 "$image-arm64"
else
  echo "Warning: no arm64 C runtime in /lib/aarch64-linux-gnu, so no $image-arm64; build with --platforms linux/amd64 or install libc6:arm64 libstdc++6:arm64 (see this script's header)." >&2
fi
