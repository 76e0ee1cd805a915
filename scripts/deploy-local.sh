#!/usr/bin/env bash
# Validates k8s/, builds the image, loads it into the current kind or minikube cluster and applies k8s/ with it:
# ./build.sh DeployLocal. Needs: Docker, kubectl, and kind or minikube with its context selected.
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in docker kubectl; do
  command -v "$tool" >/dev/null || { echo "deploy-local.sh needs $tool on PATH; see docs/eks-setup.md." >&2; exit 1; }
done
command -v kind >/dev/null || command -v minikube >/dev/null \
  || { echo "deploy-local.sh needs kind (https://kind.sigs.k8s.io) or minikube (https://minikube.sigs.k8s.io)." >&2; exit 1; }
exec ./build.sh DeployLocal "$@"
