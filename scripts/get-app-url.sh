#!/usr/bin/env bash
# Waits for the CloudAge rollout and load balancer, smoke-checks GET /, prints the URL: ./build.sh GetUrl.
# Needs a kubeconfig for the cluster (--kubeconfig, KUBECONFIG or ~/.kube/config), AWS credentials plus
# --eks-cluster-name NAME, or to run in a pod; with none of them the build says what to pass (exit 2).
set -euo pipefail
cd "$(dirname "$0")/.."
exec ./build.sh GetUrl "$@"
