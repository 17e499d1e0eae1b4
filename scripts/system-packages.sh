#!/usr/bin/env bash
# Debian packages the test suite needs: Chromium for the browser tests, poppler-utils to render and read the plan
# PDF, npm for the widget's client library, nginx and openssl for the edge tests (deploy/nginx.conf with a
# self-signed certificate), and the production profile's servers for the scale tests and `make prod`: PostgreSQL,
# Redis, and acl (setfacl lets its service user reach a Python that lives under /root).
# `scripts/system-packages.sh servers` (make prod) skips Chromium and poppler-utils.
set -euo pipefail
need=()
if [ "${1:-}" != servers ]; then
  command -v chromium > /dev/null 2>&1 || need+=(chromium)
fi
command -v npm > /dev/null 2>&1 || need+=(npm)
{ command -v nginx || [ -x /usr/sbin/nginx ]; } > /dev/null 2>&1 || need+=(nginx)
command -v openssl > /dev/null 2>&1 || need+=(openssl)
compgen -G "/usr/lib/postgresql/*/bin/initdb" > /dev/null || need+=(postgresql)
{ command -v redis-server || [ -x /usr/bin/redis-server ]; } > /dev/null 2>&1 || need+=(redis-server)
command -v setfacl > /dev/null 2>&1 || need+=(acl)
if [ "${1:-}" != servers ]; then
  command -v pdftoppm > /dev/null 2>&1 || need+=(poppler-utils)  # the plan PDF, rendered and read in tests
fi
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
