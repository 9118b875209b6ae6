#!/usr/bin/env bash
# What `npm test` needs besides npm packages, checked before the tests run (npm's `pretest`) and by
# .ci/run: Debian's Chromium for the browser tests, Debian's nginx for the several-nodes test, Debian's PostgreSQL with a throwaway cluster for the
# PostgreSQL store's tests (scripts/test-postgres.mjs), and the project's shared/ folder beside the
# repository (seed story, corpora, official standards; third-party text that is read, never copied).
# As root with apt, a missing Chromium or PostgreSQL is installed; otherwise the run stops here with the one command
# to run, so a test run never passes by skipping what it could not do.
# NEWSFLOW_CHROMIUM names another Chromium executable (the tests use the same variable).
set -euo pipefail
cd "$(dirname "$0")/.."

chromium="${NEWSFLOW_CHROMIUM:-/usr/bin/chromium}"
if [ ! -x "$chromium" ]; then
  if [ -z "${NEWSFLOW_CHROMIUM:-}" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "test-tools: installing Debian's chromium for the browser tests (apt-get)…" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends chromium >/dev/null
  fi
  if [ ! -x "$chromium" ]; then
    echo "test-tools: the browser tests need Chromium at $chromium, and it is not there. Run:" >&2
    if [ -n "${NEWSFLOW_CHROMIUM:-}" ]; then
      echo "  unset NEWSFLOW_CHROMIUM; sudo apt-get install -y chromium" >&2
    else
      echo "  sudo apt-get install -y chromium" >&2
    fi
    exit 1
  fi
fi

if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "test-tools: installing Debian's postgresql for the PostgreSQL store's tests (apt-get)…" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends postgresql >/dev/null
  fi
  if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    echo "test-tools: the PostgreSQL store's tests need Debian's PostgreSQL server, and it is not installed. Run:" >&2
    echo "  sudo apt-get install -y postgresql" >&2
    exit 1
  fi
fi
# The several-nodes test (test/server/nginx.test.ts) runs Debian's nginx as a process of its own; the
# system service is not used (and not started by the tests).
if [ ! -x /usr/sbin/nginx ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "test-tools: installing Debian's nginx for the several-nodes test (apt-get)…" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends nginx >/dev/null
  fi
  if [ ! -x /usr/sbin/nginx ]; then
    echo "test-tools: the several-nodes test needs Debian's nginx at /usr/sbin/nginx, and it is not installed. Run:" >&2
    echo "  sudo apt-get install -y nginx" >&2
    exit 1
  fi
fi

# A throwaway cluster of the tests' own (a folder under the temporary directory, port 54329), started
# once and reused by later runs; every test creates a database of its own in it.
node scripts/test-postgres.mjs start

shared="$(cd .. && pwd)/shared"
for f in seed/aa-ar-2026-01-30-prisoners-solidarity.txt corpus/arabic-news.jsonl standards/newsml-g2/NewsML-G2_2.35-spec-All-Power.xsd standards/atom/atom-rfc4287-appendixB.rnc; do
  if [ ! -f "$shared/$f" ]; then
    echo "test-tools: the tests read the project's shared/ folder beside the repository, and $shared/$f is missing." >&2
    echo "  Put the project's shared/ folder at $shared (it travels with the project, not in this repository)." >&2
    exit 1
  fi
done
