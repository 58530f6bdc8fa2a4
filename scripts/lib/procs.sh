# procs.sh: start background processes whose output is prefixed with a
# label, and stop exactly those (by PID) when the script ends.
# Source it; then procs_start LABEL CMD..., procs_stop_all.

procs_pids=()

# procs_start LABEL CMD ARGS...: runs CMD in the background; each line it
# prints appears as "LABEL | line".
procs_start() {
  local label=$1
  shift
  "$@" > >(sed -u "s/^/$(printf '%-12s' "$label")| /") 2>&1 &
  procs_pids+=($!)
}

# procs_stop_all: SIGTERM to every process started, SIGKILL after 3 s.
procs_stop_all() {
  local pid
  for pid in "${procs_pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for _ in 1 2 3 4 5 6; do
    local alive=0
    for pid in "${procs_pids[@]}"; do
      kill -0 "$pid" 2>/dev/null && alive=1
    done
    [[ $alive -eq 0 ]] && break
    sleep 0.5
  done
  for pid in "${procs_pids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  procs_pids=()
}

# procs_free_port: prints a loopback TCP port nobody listens on.
procs_free_port() {
  local port
  for _ in $(seq 50); do
    port=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
  done
  return 1
}

# procs_wait_port PORT: waits up to 10 s until something accepts on PORT.
procs_wait_port() {
  for _ in $(seq 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}
