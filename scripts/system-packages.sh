#!/usr/bin/env bash
# Debian packages the test suite needs: Chromium for the browser tests, npm for the widget's client library,
# nginx and openssl for the edge tests (deploy/nginx.conf with a self-signed certificate).
set -euo pipefail
need=()
command -v chromium > /dev/null 2>&1 || need+=(chromium)
command -v npm > /dev/null 2>&1 || need+=(npm)
{ command -v nginx || [ -x /usr/sbin/nginx ]; } > /dev/null 2>&1 || need+=(nginx)
command -v openssl > /dev/null 2>&1 || need+=(openssl)
[ ${#need[@]} -eq 0 ] && exit 0
echo "Installing Debian packages: ${need[*]}"
sudo=""
[ "$(id -u)" = 0 ] || sudo="sudo"
if ! command -v apt-get > /dev/null 2>&1; then
  echo "Please install ${need[*]} with your system's package manager, then run make again." >&2
  exit 1
fi
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" > /dev/null
