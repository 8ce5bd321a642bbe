#!/usr/bin/env bash
# Installs the Debian packages the test suites need, non-interactively and idempotently:
#   postfix   - test/support/postfix.ts runs a private Postfix instance as a relay
#   chromium  - browser tests (playwright-core with executablePath /usr/bin/chromium)
#   openssl   - the inbound STARTTLS test makes a self-signed certificate
#   curl      - test/readme.test.ts runs the README's curl walk-through as a user would
# The system Postfix is never started (tests run their own instance with `postfix -c <dir>`),
# and nothing is left listening on port 25. Skips in well under a second when all is present.
set -euo pipefail

PACKAGES=(postfix chromium openssl curl)

log() { printf '[install-system-deps] %s\n' "$*"; }

is_installed() {
  [ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null || true)" = "installed" ]
}

missing=()
for pkg in "${PACKAGES[@]}"; do
  is_installed "$pkg" || missing+=("$pkg")
done

# Stop a system Postfix master if one is running (from this script's earlier run, or a package
# hook); our tests use private instances only. Uses the default config dir on purpose.
stop_system_postfix() {
  if command -v postfix >/dev/null 2>&1 && [ -f /etc/postfix/main.cf ]; then
    if postfix status >/dev/null 2>&1; then
      log "stopping the system postfix instance"
      postfix stop >/dev/null 2>&1 || true
    fi
  fi
}

if [ "${#missing[@]}" -eq 0 ]; then
  stop_system_postfix
  log "all present: ${PACKAGES[*]}"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO=(sudo -n); else
    log "need root to install: ${missing[*]}" >&2
    exit 1
  fi
else
  SUDO=()
fi

log "installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive

# "No configuration": the package writes no /etc/postfix/main.cf and starts nothing.
echo 'postfix postfix/main_mailer_type select No configuration' | "${SUDO[@]}" debconf-set-selections

# Keep maintainer scripts from starting services (invoke-rc.d honours policy-rc.d, exit 101 =
# "action forbidden"). Only add our own if none exists, and remove it afterwards.
policy=/usr/sbin/policy-rc.d
added_policy=0
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' | "${SUDO[@]}" tee "$policy" >/dev/null
  "${SUDO[@]}" chmod 755 "$policy"
  added_policy=1
fi
cleanup() { if [ "$added_policy" = 1 ]; then "${SUDO[@]}" rm -f "$policy"; fi; }
trap cleanup EXIT

"${SUDO[@]}" apt-get update -q
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
  -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "${missing[@]}"

for pkg in "${PACKAGES[@]}"; do
  if ! is_installed "$pkg"; then
    log "package $pkg is still not installed" >&2
    exit 1
  fi
done

stop_system_postfix
if command -v ss >/dev/null 2>&1 && ss -Hltn 'sport = :25' | grep -q .; then
  log "warning: something is listening on port 25:" >&2
  ss -Hltnp 'sport = :25' >&2 || true
fi

log "installed: $(dpkg-query -W -f='${Package} ${Version}  ' "${PACKAGES[@]}")"
