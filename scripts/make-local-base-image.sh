#!/usr/bin/env bash
# Builds a local stand-in for mcr.microsoft.com/dotnet/runtime-deps (which cannot be pulled here) from the
# host's own C runtime, and imports it as NAME:TAG. Usage:
#   scripts/make-local-base-image.sh cloudage-local/runtime-deps:10.0
#   docker build --build-arg BASE_IMAGE=cloudage-local/runtime-deps:10.0 ...
# Like the real image it has the libraries a self-contained .NET app loads, /tmp, an 'app' user with UID 1654
# (runtime-deps' APP_UID) and ASPNETCORE_HTTP_PORTS=8080. No ICU (the app is InvariantGlobalization) and no
# OpenSSL (the app makes no TLS calls). With busybox-static installed it also gets /bin/sh and friends.
# Idempotent: an image already holding this recipe's label is left alone.
set -euo pipefail

if [[ $# -ne 1 || "$1" != *:* ]]; then
  echo "Usage: $0 NAME:TAG   (for example cloudage-local/runtime-deps:10.0)" >&2
  exit 2
fi
image="$1"
# Bump when the recipe below changes, so existing stand-ins are rebuilt rather than silently reused.
recipe="1"
label="org.cloudage.local-base-recipe"

existing="$(docker image inspect --format "{{ index .Config.Labels \"$label\" }}" "$image" 2>/dev/null || true)"
if [[ "$existing" == "$recipe" ]]; then
  echo "$image already present (recipe $recipe)."
  exit 0
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
root="$work/rootfs"
libdir=/lib/x86_64-linux-gnu
mkdir -p "$root$libdir" "$root/lib64" "$root/etc" "$root/tmp" "$root/home/app" "$root/app" "$root/bin"

for lib in libc.so.6 libm.so.6 libdl.so.2 librt.so.1 libpthread.so.0 libgcc_s.so.1 libstdc++.so.6 ld-linux-x86-64.so.2; do
  if [[ ! -e "$libdir/$lib" ]]; then
    echo "Missing $libdir/$lib on this machine; install libc6, libgcc-s1 and libstdc++6." >&2
    exit 1
  fi
  cp -L "$libdir/$lib" "$root$libdir/$lib"
done
ln -s "$libdir/ld-linux-x86-64.so.2" "$root/lib64/ld-linux-x86-64.so.2"

if [[ -x /bin/busybox ]]; then
  cp /bin/busybox "$root/bin/busybox"
  for tool in sh id ls cat ps wget env; do ln -s busybox "$root/bin/$tool"; done
fi

printf 'root:x:0:0:root:/root:/sbin/nologin\napp:x:1654:1654:app:/home/app:/sbin/nologin\n' >"$root/etc/passwd"
printf 'root:x:0:\napp:x:1654:\n' >"$root/etc/group"
chmod 1777 "$root/tmp"

# Everything is root-owned except the app user's home; numeric owners so the host's users do not leak in.
tarball="$work/rootfs.tar"
tar --numeric-owner --owner=0 --group=0 -C "$root" --exclude=./home/app -cf "$tarball" .
tar --numeric-owner --owner=1654 --group=1654 -C "$root" -rf "$tarball" ./home/app

docker import \
  --change "LABEL $label=$recipe" \
  --change "ENV APP_UID=1654 ASPNETCORE_HTTP_PORTS=8080 DOTNET_RUNNING_IN_CONTAINER=true PATH=/bin" \
  "$tarball" "$image" >/dev/null
echo "$image imported (recipe $recipe)."
