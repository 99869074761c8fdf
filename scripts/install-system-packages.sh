#!/usr/bin/env bash
# Installs the system packages Zorgketen needs and the machine lacks: Debian's PostgreSQL server, and
# Debian's Chromium for the portal's browser tests (Playwright drives /usr/bin/chromium; it never downloads a browser),
# npm, which installs helm for the chart's tests, and gcc with the Python headers, which compile the codec's
# Cython module (scripts/build_ext.py).
# Idempotent and quiet when everything is present.
set -euo pipefail

need=()
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || need+=(postgresql)
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v npm >/dev/null || need+=(npm)  # fetches helm for the chart's tests
command -v gcc >/dev/null || need+=(gcc)  # compiles berichten.codec._decode
python="$(command -v python3.11 || command -v python3)"
[ -f "$("$python" -c 'import sysconfig; print(sysconfig.get_paths()["include"])')/Python.h" ] || need+=(python3-dev)

[ ${#need[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null; then SUDO=sudo; else
    echo "missing system packages: ${need[*]} — install them as root (apt-get install ${need[*]})" >&2
    exit 1
  fi
else
  SUDO=
fi
echo "installing system packages: ${need[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
