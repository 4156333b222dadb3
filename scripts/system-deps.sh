#!/usr/bin/env sh
# Installs the Debian packages given as arguments when they are missing.
# Usage: scripts/system-deps.sh [--required] package...
# Without --required a package that cannot be installed only prints a warning.
set -eu

required=no
if [ "${1:-}" = "--required" ]; then
    required=yes
    shift
fi

missing=""
for package in "$@"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $package"
    fi
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
    run=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    run="sudo -n"
else
    echo "Missing system packages:$missing" >&2
    echo "Install them with: sudo apt-get install$missing" >&2
    [ "$required" = yes ] && exit 1
    exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
    echo "apt-get is not available; install by hand:$missing" >&2
    [ "$required" = yes ] && exit 1
    exit 0
fi

echo "Installing system packages:$missing"
export DEBIAN_FRONTEND=noninteractive
# shellcheck disable=SC2086
$run apt-get install -y -q --no-install-recommends $missing >/dev/null 2>&1 || {
    $run apt-get update -q >/dev/null 2>&1
    # shellcheck disable=SC2086
    $run apt-get install -y -q --no-install-recommends $missing
}
