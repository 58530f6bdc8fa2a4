# split.sh: the two-site demo behind `scripts/demo.sh --split`. Source it
# after procs.sh, with $root (the repository), $build (the build folder,
# absolute) and $work (a scratch folder) set; then split_demo DURATION
# (0: until Ctrl-C).
#
#   site A: mosquitto + plugin (broker-a), clients kitchen and garage
#   site B: mosquitto + plugin (broker-b), clients attic and cellar
#   A's bridge (config/bridge-a.conf) -> aatest-relay -> B
#
# The relay stands for the network between the sites: SIGUSR1 cuts it
# (connections closed, new ones refused), SIGUSR2 restores it.

split_topic=asyncactor/demo-split
split_cycle=3
split_gap=0.5
split_up_s=20    # how long the link stays up each round
split_down_s=20  # and how long it stays cut

# split_config SITE PORT RELAY_PORT: writes $work/SITE.conf from
# config/bridge-SITE.conf, with this demo's ports, paths, topic and timing.
split_config() {
  local site=$1 port=$2 relay_port=$3 out="$work/$1.conf"
  {
    echo "user root"
    echo "log_dest file $work/$site.log"
    sed -e "s|^listener [0-9]* 127.0.0.1|listener $port 127.0.0.1|" \
        -e "s|^address 127.0.0.1:[0-9]*|address 127.0.0.1:$relay_port|" \
        -e "s|^plugin build/plugin/|plugin $build/plugin/|" \
        -e "s|asyncactor/main|$split_topic|g" \
        -e "s|^plugin_opt_cycle .*|plugin_opt_cycle $split_cycle|" \
        -e "s|^plugin_opt_gap .*|plugin_opt_gap $split_gap|" \
        "config/bridge-$site.conf"
  } > "$out"
  # Fail loudly if config/bridge-*.conf no longer has the lines edited here.
  grep -q "^listener $port " "$out" && grep -q "^plugin $build/" "$out" &&
    grep -q "^plugin_opt_cycle $split_cycle" "$out" || {
    echo "demo: cannot adapt config/bridge-$site.conf (changed?)" >&2
    return 1
  }
  if [[ $site == a ]]; then
    grep -q "^address 127.0.0.1:$relay_port" "$out" || {
      echo "demo: config/bridge-a.conf has no bridge address line" >&2
      return 1
    }
  fi
}

# split_broker SITE PORT: starts a site's broker and waits for it.
split_broker() {
  procs_start "broker-$1" mosquitto -c "$work/$1.conf"
  procs_wait_port "$2" || {
    echo "demo: broker $1 did not start; its log:" >&2
    cat "$work/$1.log" >&2
    return 1
  }
}

# split_client SITE PORT NAME VALUE: one edge client at a site.
split_client() {
  procs_start "$1:$3" "$build/client/asyncactor-client" \
    --port "$2" --topic "$split_topic" --name "$3" --value "$4" \
    --cycle "$split_cycle" --gap "$split_gap" --log-level warn
}

split_demo() {
  local duration=$1
  local port_a port_b relay_port relay_pid
  port_b=$(procs_free_port)
  relay_port=$(procs_free_port)
  port_a=$(procs_free_port)
  split_config b "$port_b" "$relay_port" || exit 1
  split_config a "$port_a" "$relay_port" || exit 1

  split_broker b "$port_b" || exit 1
  procs_start relay "$build/tests/integration/aatest-relay" \
    "$relay_port" "$port_b"
  relay_pid=${procs_pids[-1]}
  procs_wait_port "$relay_port" || { echo "demo: no relay" >&2; exit 1; }
  split_broker a "$port_a" || exit 1
  echo "demo: site A broker 127.0.0.1:$port_a, site B broker" \
    "127.0.0.1:$port_b, A bridged to B through 127.0.0.1:$relay_port" >&2

  # What a dashboard at each site sees: its broker's retained leader topic
  # ("observer" is the broker that publishes it), and the bridge's state.
  procs_start leader@A stdbuf -oL mosquitto_sub -p "$port_a" -h 127.0.0.1 \
    -t "$split_topic/leader" -F '%I  %p'
  procs_start leader@B stdbuf -oL mosquitto_sub -p "$port_b" -h 127.0.0.1 \
    -t "$split_topic/leader" -F '%I  %p'
  procs_start link stdbuf -oL mosquitto_sub -p "$port_a" -h 127.0.0.1 \
    -t '$SYS/broker/connection/+/state' -F '%I  bridge (1 = up, 0 = down): %p'

  split_client a "$port_a" kitchen 1
  split_client a "$port_a" garage 2
  split_client b "$port_b" attic 3
  split_client b "$port_b" cellar 4

  echo "demo: the link is cut for ${split_down_s}s every" \
    "$((split_up_s + split_down_s))s; Ctrl-C to stop" >&2
  local start=$SECONDS
  while :; do
    split_wait "$start" "$duration" "$split_up_s" || return 0
    echo "======== $(date +%T) LINK CUT: each site keeps its own tag and" \
      "names its own leader" >&2
    kill -USR1 "$relay_pid"
    split_wait "$start" "$duration" "$split_down_s" || return 0
    echo "======== $(date +%T) LINK RESTORED: the bridge redials within" \
      "about 2 s; watch for recover events, then one leader on both sites" >&2
    kill -USR2 "$relay_pid"
  done
}

# split_wait START DURATION SECONDS: sleeps SECONDS, or less if DURATION
# (counted from START) ends first; fails once DURATION is over.
split_wait() {
  local start=$1 duration=$2 want=$3
  if [[ $duration -gt 0 ]]; then
    local left=$((duration - (SECONDS - start)))
    [[ $left -le 0 ]] && return 1
    [[ $left -lt $want ]] && want=$left
  fi
  sleep "$want"
  [[ $duration -eq 0 || $((SECONDS - start)) -lt $duration ]]
}
