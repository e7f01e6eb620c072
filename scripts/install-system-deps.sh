#!/usr/bin/env bash
# System packages the test suite needs beyond Python: Debian's chromium for the
# browser test of the HTML export (tests/test_export_browser.py).
# Idempotent and quiet: does nothing when /usr/bin/chromium is there already.
# Needs root (or sudo without a password) and apt-get; never reads stdin.
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-system-deps: /usr/bin/chromium is missing and apt-get is not available; install Chromium by hand" >&2
  exit 1
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO="sudo -n"
  else
    echo "install-system-deps: /usr/bin/chromium is missing; run as root: apt-get update && apt-get install -y chromium" >&2
    exit 1
  fi
fi

export DEBIAN_FRONTEND=noninteractive
if ! $SUDO apt-get update -qq </dev/null >/dev/null; then
  echo "install-system-deps: apt-get update failed" >&2
  exit 1
fi
if ! $SUDO apt-get install -y -qq chromium </dev/null >/dev/null; then
  echo "install-system-deps: apt-get install chromium failed" >&2
  exit 1
fi
if [ ! -x /usr/bin/chromium ]; then
  echo "install-system-deps: chromium was installed but /usr/bin/chromium is not there" >&2
  exit 1
fi
