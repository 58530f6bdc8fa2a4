#!/usr/bin/env bash
# demo.sh: a private mosquitto with the asyncactor plugin and three edge
# clients on a free loopback port, showing every leader change live.
#
#   scripts/demo.sh                 run until Ctrl-C
#   scripts/demo.sh --duration 40   stop after 40 seconds
#   scripts/demo.sh --split         two sites: bridged brokers, two clients
#                                   each; the link is cut and restored every
#                                   20 s (see scripts/lib/split.sh)
#   --build-dir DIR                 build into DIR instead of build/ (also
#                                   $ASYNCACTOR_BUILD_DIR)
#
# Everything it starts is stopped when it ends, however it ends.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

duration=0
split=0
build=${ASYNCACTOR_BUILD_DIR:-build}
while [[ $# -gt 0 ]]; do
  case "$1" in
    --duration) duration=${2:?--duration needs seconds}; shift ;;
    --split) split=1 ;;
    --build-dir) build=${2:?--build-dir needs a folder}; shift ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "demo.sh: unknown option $1 (try --help)" >&2; exit 2 ;;
  esac
  shift
done
[[ "$duration" =~ ^[0-9]+$ ]] || { echo "demo.sh: bad --duration" >&2; exit 2; }

scripts/install-deps.sh
echo "demo: building..." >&2
targets=(asyncactor_plugin asyncactor-client)
[[ $split -eq 1 ]] && targets+=(aatest-relay)
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j2 --target "${targets[@]}" >/dev/null
build=$(cd "$build" && pwd)

source scripts/lib/procs.sh
work=$(mktemp -d /tmp/asyncactor-demo-XXXXXX)
trap 'procs_stop_all; rm -rf "$work"' EXIT
trap 'exit 0' INT TERM

if [[ $split -eq 1 ]]; then
  source scripts/lib/split.sh
  split_demo "$duration"
  exit 0
fi

port=$(procs_free_port)
topic=asyncactor/demo
cycle=3
gap=0.5
sed -e "s|@PORT@|$port|" \
    -e "s|@PLUGIN@|$build/plugin/asyncactor_plugin.so|" \
    -e "s|@TOPIC@|$topic|" -e "s|@CYCLE@|$cycle|" -e "s|@GAP@|$gap|" \
    -e "s|@LOG@|$work/mosquitto.log|" \
    config/demo-mosquitto.conf.in > "$work/mosquitto.conf"
procs_start broker mosquitto -c "$work/mosquitto.conf"
procs_wait_port "$port" || {
  echo "demo: mosquitto did not start; its log:" >&2
  cat "$work/mosquitto.log" >&2
  exit 1
}
echo "demo: broker on 127.0.0.1:$port, topic $topic, cycle ${cycle}s" >&2

# The retained leader topic, as any dashboard would see it.
procs_start leader-topic stdbuf -oL mosquitto_sub -p "$port" -h 127.0.0.1 \
  -t "$topic/leader" -F '%I  leader topic: %p'

value=1
for name in kitchen garage attic; do
  procs_start "$name" "$build/client/asyncactor-client" \
    --port "$port" --topic "$topic" --name "$name" --value "$value" \
    --cycle "$cycle" --gap "$gap" --log-level warn
  value=$((value + 1))
done

if [[ "$duration" -gt 0 ]]; then
  sleep "$duration"
else
  echo "demo: Ctrl-C to stop" >&2
  while :; do sleep 1; done
fi
