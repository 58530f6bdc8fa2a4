#!/usr/bin/env bash
# install-deps.sh: makes sure every Debian package the build, the tests and
# the demo need is installed. As root it installs what is missing with
# apt-get; otherwise it names the missing packages and fails.
set -euo pipefail

packages=(
  cmake g++ make pkg-config         # build
  libcjson-dev                      # JSON codec (core, plugin, client)
  mosquitto mosquitto-dev           # the broker and its plugin API
  libmosquitto-dev mosquitto-clients  # client library; mosquitto_sub
  libmsgpack-cxx-dev serf           # Serf RPC encoding; the Serf agent
  libcriterion-dev                  # tests
  valgrind                          # leak check in the test suite
  openssl                           # TLS certificates made by the tests
)

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

if [[ $(id -u) -ne 0 ]]; then
  echo "install-deps: missing Debian packages: ${missing[*]}" >&2
  echo "install-deps: run as root, or: sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
echo "install-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
