#!/usr/bin/env bash
# Makes sure the real services the tests use are up: PostgreSQL on 127.0.0.1:5432 (user postgres,
# trust auth) and Redis on 127.0.0.1:6379, and the tools some tests run (the Kafka mock broker's
# toolchain, Chromium). Detects them first; starts them if they are installed but
# stopped; installs them from Debian's packages if missing and we are root; otherwise says exactly
# what is missing. Idempotent.
set -euo pipefail

PGHOST=${PGHOST:-127.0.0.1}
PGPORT=${PGPORT:-5432}
REDIS_PORT=${REDIS_PORT:-6379}

say() { printf '[services] %s\n' "$*"; }

port_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null && exec 3>&- 3<&-; }

wait_port() {
  for _ in $(seq 1 60); do port_open "$1" "$2" && return 0; sleep 0.5; done
  return 1
}

apt_install() {
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then return 1; fi
  say "installing $* from Debian's packages"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

ensure_postgres() {
  if port_open "$PGHOST" "$PGPORT"; then say "PostgreSQL is up on $PGHOST:$PGPORT"; return 0; fi
  if ! command -v pg_ctlcluster >/dev/null; then
    apt_install postgresql || { say "MISSING: PostgreSQL on $PGHOST:$PGPORT (install the 'postgresql' package)"; return 1; }
  fi
  local version
  version=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n 1)
  if [ -z "$version" ]; then say "MISSING: no PostgreSQL cluster under /etc/postgresql"; return 1; fi
  # Tests connect as postgres without a password over TCP: make sure local TCP uses trust.
  local hba="/etc/postgresql/$version/main/pg_hba.conf"
  if [ -w "$hba" ] && ! grep -qE '^host\s+all\s+all\s+127\.0\.0\.1/32\s+trust' "$hba"; then
    sed -i '1i host all all 127.0.0.1/32 trust\nhost all all ::1/128 trust' "$hba"
  fi
  say "starting PostgreSQL $version"
  pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  wait_port "$PGHOST" "$PGPORT" || { say "PostgreSQL did not come up on $PGHOST:$PGPORT"; return 1; }
}

ensure_redis() {
  if port_open 127.0.0.1 "$REDIS_PORT"; then say "Redis is up on 127.0.0.1:$REDIS_PORT"; return 0; fi
  if ! command -v redis-server >/dev/null; then
    apt_install redis-server || { say "MISSING: Redis on 127.0.0.1:$REDIS_PORT (install the 'redis-server' package)"; return 1; }
  fi
  say "starting Redis"
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port "$REDIS_PORT" --save "" --appendonly no >/dev/null
  wait_port 127.0.0.1 "$REDIS_PORT" || { say "Redis did not come up on 127.0.0.1:$REDIS_PORT"; return 1; }
}

# Kafka tests run against librdkafka's mock cluster (a real Kafka-protocol broker), built by the
# test harness from packages/testkit/kafka-mock with gcc and Debian's librdkafka-dev.
ensure_kafka_mock_toolchain() {
  if [ -f /usr/include/librdkafka/rdkafka_mock.h ] && command -v gcc >/dev/null; then
    say "librdkafka-dev and gcc present (Kafka mock broker)"
    return 0
  fi
  apt_install librdkafka-dev gcc || { say "MISSING: librdkafka-dev and gcc (Kafka mock broker for the event tests)"; return 1; }
}

# Browser tests (test/e2e/*.browser.e2e.test.ts) drive Debian's Chromium with playwright-core,
# which downloads no browser of its own (test/e2e/support/browser.ts; CHROMIUM_PATH moves it).
ensure_chromium() {
  local chromium=${CHROMIUM_PATH:-/usr/bin/chromium}
  if [ -x "$chromium" ]; then say "Chromium present at $chromium (browser tests)"; return 0; fi
  if apt_install chromium && [ -x "$chromium" ]; then say "Chromium installed at $chromium"; return 0; fi
  say "MISSING: $chromium (install Debian's 'chromium' package) for the browser tests"
  return 1
}

status=0
ensure_postgres || status=1
ensure_redis || status=1
ensure_kafka_mock_toolchain || status=1
ensure_chromium || status=1
exit $status
