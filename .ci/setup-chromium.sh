#!/usr/bin/env bash
# Installs Debian's chromium (the HTML report's browser tests) and graphviz (the DOT export is
# checked by `dot`) when missing. Those tests skip with a reason without them. Idempotent.
# Needs root (CI runs as root); without it, say so and leave the tests to skip.
set -uo pipefail
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v dot >/dev/null 2>&1 || need+=(graphviz)
if [ ${#need[@]} -eq 0 ]; then
  echo "chromium: $(/usr/bin/chromium --version 2>/dev/null | head -n 1); $(dot -V 2>&1)"
  exit 0
fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "missing ${need[*]} and cannot install here (needs root and apt-get); those tests will skip"
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
if apt-get update -qq && apt-get install -y -qq "${need[@]}" >/dev/null; then
  echo "installed ${need[*]}"
else
  echo "could not install ${need[*]}; those tests will skip"
fi
exit 0
