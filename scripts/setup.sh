#!/usr/bin/env bash
# Sets up a fresh Debian machine for kyso: system tools used by the tests,
# PostgreSQL reachable on 127.0.0.1:5432, pnpm, dependencies, build.
set -euo pipefail
cd "$(dirname "$0")/.."

DEB_PACKAGES=(poppler-utils qpdf mupdf-tools libnss3-tools softhsm2 opensc fonts-liberation2 openssl chromium curl)
missing=()
for p in "${DEB_PACKAGES[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# PostgreSQL: the codes and service tests use a real server on 127.0.0.1:5432.
if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  if ! ls /etc/postgresql >/dev/null 2>&1; then
    echo "setup: installing PostgreSQL"
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >/dev/null
  fi
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
fi

if ! command -v pnpm >/dev/null 2>&1; then
  echo "setup: installing pnpm"
  npm install -g pnpm@10.34.9 >/dev/null 2>&1
fi

pnpm install --frozen-lockfile
pnpm build
