#!/usr/bin/env bash
# Install Debian's chromium for the Playwright tests when it is missing and we may install packages.
set -u
[ -x /usr/bin/chromium ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing Debian's chromium for the browser tests…"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null \
    && exit 0
fi
if [ "${CI:-}" = "true" ]; then
  echo "chromium is missing and could not be installed: the browser tests cannot run under CI" >&2
  exit 1
fi
echo "note: chromium is not installed and cannot be installed here (not root); browser tests will be skipped"
