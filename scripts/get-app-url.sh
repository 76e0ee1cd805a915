#!/usr/bin/env bash
# Waits for the CloudAge rollout and load balancer, smoke-checks GET /, prints the URL: ./build.sh GetUrl.
# Needs a kubeconfig for the cluster (KUBECONFIG or ~/.kube/config), or AWS credentials plus --eks-cluster-name NAME.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${KUBECONFIG:-}" ] && [ ! -f "$HOME/.kube/config" ] && [ -z "${EKS_CLUSTER_NAME:-}" ] && [[ " $* " != *" --eks-cluster-name "* ]]; then
  echo "get-app-url.sh needs a kubeconfig (aws eks update-kubeconfig --name <cluster>) or --eks-cluster-name <cluster> with AWS credentials." >&2
  exit 2
fi
exec ./build.sh GetUrl "$@"
