#!/usr/bin/env bash
# Installs the Go tools the tests use as interop peers (cosign for trust, helm and kustomize for chart and
# kustomization rendering) into
# "$(go env GOPATH)/bin" unless already there, then the real kube-apiserver and
# kube-controller-manager (v1.34.4) of the Kubernetes integration tests into "$KUBE_CACHE/bin"
# (default ~/.cache/strata-kube; test/support/kube/build.sh, a no-op when built).
# Pinned versions; built from the Go module proxy.
# The first build takes several minutes on 2 cores; the Go module and build caches make later runs instant.
set -euo pipefail

COSIGN_VERSION="${COSIGN_VERSION:-v2.6.2}"

if ! command -v go >/dev/null 2>&1; then
  echo "install-go-tools: go is not installed; trust interop tests will be skipped, kube-apiserver tests fail under CI=true" >&2
  exit 0
fi

bin="$(go env GOPATH)/bin"
mkdir -p "$bin"

install_tool() { # name module version
  local name=$1 module=$2 version=$3
  if [ -x "$bin/$name" ] && "$bin/$name" version 2>&1 | grep -q "${version#v}"; then
    echo "install-go-tools: $name $version present"
    return 0
  fi
  echo "install-go-tools: building $name $version"
  CGO_ENABLED=0 go install "$module@$version"
}

install_tool cosign github.com/sigstore/cosign/v2/cmd/cosign "$COSIGN_VERSION"

echo "install-go-tools: kube-apiserver + kube-controller-manager ${KUBE_VERSION:-v1.34.4} into ${KUBE_CACHE:-$HOME/.cache/strata-kube}/bin"
if ! bash "$(dirname "$0")/../test/support/kube/build.sh"; then
  log="${KUBE_CACHE:-$HOME/.cache/strata-kube}/build-${KUBE_VERSION:-v1.34.4}.log"
  tail -n 40 "$log" >&2 || true
  exit 1
fi

# helm: the chart-rendering tests compare `helm template` with Strata's renderer (src/kube/helm). `go install`
# leaves helm's version unset ("v3.21"), so it is stamped with -ldflags to make the presence check exact.
HELM_VERSION="${HELM_VERSION:-v3.21.4}"
if [ -x "$bin/helm" ] && "$bin/helm" version --short 2>&1 | grep -q "^$HELM_VERSION"; then
  echo "install-go-tools: helm $HELM_VERSION present"
else
  echo "install-go-tools: building helm $HELM_VERSION"
  CGO_ENABLED=0 go install -ldflags "-X helm.sh/helm/v3/internal/version.version=$HELM_VERSION" \
    "helm.sh/helm/v3/cmd/helm@$HELM_VERSION"
fi

# kustomize: the kustomization tests compare `kustomize build` with src/kube/kustomize.
KUSTOMIZE_VERSION="${KUSTOMIZE_VERSION:-v5.7.1}"
install_tool kustomize sigs.k8s.io/kustomize/kustomize/v5 "$KUSTOMIZE_VERSION"
