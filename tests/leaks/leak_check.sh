#!/usr/bin/env bash
# leak_check.sh: runs the broker plugin, the edge client and the simulator
# under valgrind on a live group, feeds the broker bad beacons too, stops
# everything the way a user would (SIGTERM), and fails on any memory error
# or leak that valgrind finds in them.
#
#   leak_check.sh PLUGIN_SO CLIENT_BIN SIM_BIN
set -euo pipefail
plugin=$1 client=$2 sim=$3
here=$(cd "$(dirname "$0")/../.." && pwd)
source "$here/scripts/lib/procs.sh"

work=$(mktemp -d /tmp/asyncactor-leaks-XXXXXX)
trap 'procs_stop_all; rm -rf "$work"' EXIT

vg=(valgrind --leak-check=full --errors-for-leak-kinds=definite,indirect
    --error-exitcode=99 --track-fds=no)
failed=0

# check_log LABEL LOG: valgrind must report no errors and no lost blocks.
check_log() {
  local label=$1 log=$2
  if ! grep -q "ERROR SUMMARY: 0 errors" "$log"; then
    echo "leak_check: $label: valgrind found errors:" >&2
    grep -E "definitely|indirectly|Invalid|uninitialised|ERROR SUMMARY" \
      "$log" >&2 || true
    failed=1
  else
    echo "leak_check: $label: clean"
  fi
}

# 1. The simulator drives the engine through a split and a heal.
"${vg[@]}" --log-file="$work/sim.vg" "$sim" --nodes 12 --cycles 30 \
  --seed 7 --delay-max 0.2 --split 10:18 --cycle 2 --gap 0.4 --json \
  >"$work/sim.out" || true
check_log "asyncactor-sim" "$work/sim.vg"
grep -q '"recovers"' "$work/sim.out" ||
  { echo "leak_check: simulator printed no figures" >&2; failed=1; }

# 2. A broker with the plugin and two clients, all under valgrind.
port=$(procs_free_port)
topic=leaks/group
cat >"$work/mosquitto.conf" <<CONF
per_listener_settings false
allow_anonymous true
persistence false
user root
log_dest file $work/broker.log
log_type all
listener $port 127.0.0.1
plugin $plugin
plugin_opt_name broker
plugin_opt_topic $topic
plugin_opt_cycle 2
plugin_opt_gap 0.4
CONF
"${vg[@]}" --log-file="$work/broker.vg" mosquitto -c "$work/mosquitto.conf" &
broker=$!
procs_pids+=("$broker")
procs_wait_port "$port" || sleep 5
for name in a b; do
  "${vg[@]}" --log-file="$work/$name.vg" "$client" --host 127.0.0.1 \
    --port "$port" --topic "$topic" --name "$name" --value 1 \
    --cycle 2 --gap 0.4 --json --on-tag "true" >"$work/$name.out" \
    2>"$work/$name.err" &
  procs_pids+=($!)
done
sleep 8
# Garbage a peer might send: none of it may crash or leak.
for bad in '{' '{"t":"ping"}' '{"t":"ping","node":7,"value":1}' \
    '{"t":"zzz","node":"x"}' '[1,2,3]' "$(head -c 3000 /dev/zero | tr '\0' x)"; do
  mosquitto_pub -h 127.0.0.1 -p "$port" -t "$topic" -m "$bad"
done
sleep 8

# Clients first, then the broker, each by SIGTERM, as a user stops them.
for pid in "${procs_pids[@]:1}"; do kill -TERM "$pid"; done
for pid in "${procs_pids[@]:1}"; do
  rc=0; wait "$pid" || rc=$?
  [[ $rc -eq 0 ]] || { echo "leak_check: client exited $rc" >&2; failed=1; }
done
kill -TERM "$broker"
rc=0; wait "$broker" || rc=$?
[[ $rc -eq 0 ]] || { echo "leak_check: broker exited $rc" >&2; failed=1; }
procs_pids=()

for name in a b; do check_log "client $name" "$work/$name.vg"; done
check_log "mosquitto with the plugin" "$work/broker.vg"
# The run must have been a working group, or the check proves nothing.
grep -q '"event":"tag"' "$work/a.out" "$work/b.out" ||
  { echo "leak_check: no client was ever tagged" >&2; failed=1; }
grep -qi "asyncactor" "$work/broker.log" ||
  { echo "leak_check: the plugin never logged" >&2; failed=1; }
exit $failed
