#!/usr/bin/env bash
# The tests, from a clean clone on a fresh Debian machine with Node 20 and
# npm: install the system packages they need (only those missing; apt is
# not touched when every one is present), then `npm ci`, then `npm test`,
# then Google's conformance suite. README.md's test command and CI's
# (.ci/run) are this script.
set -euo pipefail
cd "$(dirname "$0")/.."

# The system packages the tests need, in this one place: each line is the
# Debian package, then a command that succeeds only when what it provides
# is present, printing its version (the peer tests run SWI-Prolog and protoc,
# and read the well-known types' .proto files that libprotobuf-dev installs,
# and compiler/plugin.proto, which libprotoc-dev does; the JSON tests run
# Python's protobuf as a peer).
SYSTEM_PACKAGES=(
  'swi-prolog-nox    swipl --version'
  'protobuf-compiler protoc --version'
  'libprotobuf-dev   ls /usr/include/google/protobuf/descriptor.proto'
  'libprotoc-dev     ls /usr/include/google/protobuf/compiler/plugin.proto'
  'python3-protobuf  /usr/bin/python3 -c import\ google.protobuf'
)

present() { bash -c "$1" >/dev/null 2>&1; }

missing=()
for entry in "${SYSTEM_PACKAGES[@]}"; do
  read -r package check <<<"$entry"
  present "$check" || missing+=("$package")
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "scripts/test.sh: installing ${missing[*]}" >&2
  sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "scripts/test.sh: not root and no sudo; install ${missing[*]} first" >&2; exit 1; }
    sudo=(sudo)
  fi
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

for entry in "${SYSTEM_PACKAGES[@]}"; do
  read -r package check <<<"$entry"
  bash -c "$check" || { echo "scripts/test.sh: '$check' fails after installing $package" >&2; exit 1; }
done

npm ci
npm test
# Google's conformance suite against the testee (docs/conformance.md).
scripts/conformance.sh
