#!/usr/bin/env bash
# sim.sh: the simulator benchmark. Builds asyncactor-sim (Release, in
# build-bench/), runs the steady-state, join and speed configurations one
# after another, prints a table with the goal of each row and PASS or FAIL,
# and exits 1 when a goal is missed. bench/README.md explains the columns.
#
#   bench/sim.sh               full run: 10,000 cycles per configuration
#                              (about 30 minutes and 7 GB of memory on
#                              2 cores, most of it the 10,000-node rows)
#   bench/sim.sh --quick       smoke run: 300 cycles, up to 1,000 nodes
#   bench/sim.sh --cycles K    K cycles per steady-state row instead
#   bench/sim.sh --big-cycles K   K cycles for the 10,000-node rows only
#                              (each of those costs about 10 minutes per
#                              10,000 cycles; the table shows the count)
#   bench/sim.sh --sizes "10 100"   only these group sizes
#   bench/sim.sh --seed S      another random seed (default 1)
#   bench/sim.sh --no-build    use the simulator already in build-bench/
#
# Exit status: 0 all goals met, 1 a goal missed, 2 bad usage, 3 the build or
# a simulator run failed. Raw JSON of every run: build-bench/bench.jsonl.
set -euo pipefail
export LC_ALL=C
cd "$(dirname "$0")/.."

build="build-bench"
cycles=10000
big_cycles=""
sizes="10 100 1000 10000"
delays="0 0.1 0.25"
join_sizes="10 100 1000 10000"
seed=1
do_build=1
quick=0

while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) quick=1 ;;
    --cycles) cycles="$2"; shift ;;
    --big-cycles) big_cycles="$2"; shift ;;
    --sizes) sizes="$2"; join_sizes="$2"; shift ;;
    --seed) seed="$2"; shift ;;
    --no-build) do_build=0 ;;
    -h|--help) sed -n '2,21p' "$0"; exit 0 ;;
    *) echo "sim.sh: unknown option $1 (try --help)" >&2; exit 2 ;;
  esac
  [[ $# -gt 0 ]] && shift
done
if [[ $quick == 1 ]]; then
  cycles=300
  sizes="10 100 1000"
  join_sizes="10 100 1000"
fi
big_cycles=${big_cycles:-$cycles}
for v in "$cycles" "$big_cycles" $sizes; do
  if ! [[ $v =~ ^[1-9][0-9]*$ ]]; then
    echo "sim.sh: not a whole number > 0: $v" >&2
    exit 2
  fi
done
if ! [[ $seed =~ ^[0-9]+$ ]]; then
  echo "sim.sh: bad seed: $seed" >&2
  exit 2
fi

# The goals the benchmark judges (bench/README.md). Delays are fractions
# of the gap.
readonly max_beacons_per_tag=1.02   # judged at delays <= max_judged_delay
readonly max_judged_delay=0.1
readonly max_join_messages=2
readonly max_speed_s=10             # 1,000 nodes for 1,000 cycles
readonly join_delay=0.1
readonly join_stagger=2.3           # seconds between joins
readonly join_at=20                 # cycle at which the first node joins

if [[ $do_build == 1 ]]; then
  echo "building asyncactor-sim (Release) in $build/ ..." >&2
  if ! { cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release &&
         cmake --build "$build" -j2 --target asyncactor-sim; } \
       >"$build.log" 2>&1; then
    echo "sim.sh: build failed; see $build.log" >&2
    exit 3
  fi
  rm -f "$build.log"
fi
sim="$build/sim/asyncactor-sim"
if [[ ! -x $sim ]]; then
  echo "sim.sh: $sim is missing; run without --no-build" >&2
  exit 3
fi
raw="$build/bench.jsonl"
: >"$raw"

# num JSON KEY prints the first value of "KEY": in the one-line JSON object
# asyncactor-sim --json writes (cJSON, no spaces). Keys are matched with
# their quotes, so "tags" does not match "detags".
num() {
  local v
  v=$(grep -o "\"$2\":[^,}]*" <<<"$1" | head -n 1 | cut -d: -f2)
  echo "${v:-null}"
}

# part JSON KEY prints the flat sub-object "KEY":{...} of the JSON.
part() {
  grep -o "\"$1\":{[^}]*}" <<<"$2" | head -n 1
}

# calc EXPR evaluates a floating-point awk expression.
calc() { awk "BEGIN { print $1 }"; }

# ok COND prints PASS or FAIL. It runs in $(...), so the caller records a
# failure in `failed`.
failed=0
ok() {
  if [[ $(calc "($1) ? 1 : 0") == 1 ]]; then echo PASS; else echo FAIL; fi
}

# run ARGS... runs the simulator with --json and prints its output; the
# JSON line also goes to $raw.
run() {
  local out
  if ! out=$("$sim" --seed "$seed" --json "$@"); then
    echo "sim.sh: asyncactor-sim $* failed" >&2
    exit 3
  fi
  echo "$out" >>"$raw"
  echo "$out"
}

# warn_odd JSON LABEL reports figures that should stay zero in a healthy
# run but carry no goal of their own here.
notes=()
warn_odd() {
  local live stalls drops
  live=$(num "$1" liveness_violations)
  stalls=$(num "$1" timer_stalls)
  drops=$(part drops "$1")
  if [[ $live != 0 || $stalls != 0 || $drops != '"drops":{}' ]]; then
    notes+=("$2: liveness violations $live, timer stalls $stalls, $drops")
  fi
}

host="$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo 2>/dev/null |
  cut -d: -f2 | sed 's/^ *//')"
echo "asyncactor-sim benchmark, $(date -u '+%Y-%m-%d %H:%M UTC'), $host"
echo "commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')," \
  "seed $seed, setup cycle 7 s gap 1 s, uniform delays in [0, d * gap]"
echo

echo "Steady state: all nodes start together"
fmt='%6s %6s %6s %9s %9s %6s %6s %9s %9s  %-24s %s\n'
# shellcheck disable=SC2059
printf "$fmt" nodes delay cycles b/tag b/tag safety live wall ms/ goal result
# shellcheck disable=SC2059
printf "$fmt" "" "d/gap" "" steady "all" unsafe gaps "s" cycle "" ""
for n in $sizes; do
  rc=$cycles
  [[ $n -ge 10000 ]] && rc=$big_cycles
  for d in $delays; do
    echo "  running $n nodes, delay $d gap, $rc cycles ..." >&2
    j=$(run --nodes "$n" --cycles "$rc" --delay-max "$d")
    steady=$(num "$j" steady_beacons_per_tag)
    all=$(num "$j" beacons_per_tag)
    [[ $steady == null ]] && steady=999
    unsafe=$(grep -o '"safety_violations":{"count":[0-9]*' <<<"$j" |
      cut -d: -f3)
    live=$(num "$j" liveness_violations)
    wall=$(num "$j" wall_s)
    per=$(calc "1000 * $wall / $rc")
    if [[ $(calc "$d <= $max_judged_delay") == 1 ]]; then
      goal="b/tag <= $max_beacons_per_tag, 0 unsafe"
      res=$(ok "$steady <= $max_beacons_per_tag && $unsafe == 0")
    else
      goal="0 unsafe (b/tag shown)"
      res=$(ok "$unsafe == 0")
    fi
    [[ $res == FAIL ]] && failed=1
    # shellcheck disable=SC2059
    printf "$fmt" "$n" "$d" "$rc" "$(calc "sprintf(\"%.4f\", $steady)")" \
      "$(calc "sprintf(\"%.4f\", $all)")" "$unsafe" "$live" \
      "$(calc "sprintf(\"%.3f\", $wall)")" \
      "$(calc "sprintf(\"%.3f\", $per)")" "$goal" "$res"
    warn_odd "$j" "$n nodes, delay $d"
  done
done
echo

echo "Joins: nodes join a running group one every $join_stagger s from" \
  "cycle $join_at, delays up to $join_delay gap"
jfmt='%6s %7s %9s %10s %6s %6s  %-29s %s\n'
# shellcheck disable=SC2059
printf "$jfmt" nodes joiners msgs/join recov/join detags unsafe goal result
for n in $join_sizes; do
  joiners=$(( n / 2 < 100 ? n / 2 : 100 ))
  initial=$(( n - joiners ))
  # The joins take joiners * stagger seconds; 10 more cycles to settle.
  jc=$(calc "int($join_at + $joiners * $join_stagger / 8 + 10.5)")
  echo "  running $n nodes, $joiners joining, $jc cycles ..." >&2
  j=$(run --nodes "$n" --cycles "$jc" --delay-max "$join_delay" \
    --initial "$initial" --join-at "$join_at" --stagger "$join_stagger")
  jp=$(part join "$j")
  msgs=$(num "$jp" messages_per_node)
  recov=$(num "$jp" recovers_per_node)
  jdet=$(num "$jp" detags)
  unsafe=$(grep -o '"safety_violations":{"count":[0-9]*' <<<"$j" |
    cut -d: -f3)
  res=$(ok "$msgs <= $max_join_messages && $recov == 0 && $unsafe == 0")
  [[ $res == FAIL ]] && failed=1
  # shellcheck disable=SC2059
  printf "$jfmt" "$n" "$joiners" "$(calc "sprintf(\"%.3f\", $msgs)")" \
    "$(calc "sprintf(\"%.3f\", $recov)")" "$jdet" "$unsafe" \
    "msgs <= $max_join_messages, 0 recov, 0 unsafe" "$res"
  warn_odd "$j" "join, $n nodes"
done
echo

echo "Speed: 1000 nodes for 1000 cycles, delays up to 0.1 gap, one core"
echo "  running the speed run ..." >&2
t0=$(date +%s%N)
j=$(run --nodes 1000 --cycles 1000 --delay-max 0.1)
t1=$(date +%s%N)
proc_s=$(calc "($t1 - $t0) / 1e9")
wall=$(num "$j" wall_s)
res=$(ok "$proc_s < $max_speed_s")
[[ $res == FAIL ]] && failed=1
printf '  process %.2f s (simulation loop %.2f s), goal < %s s  %s\n' \
  "$proc_s" "$wall" "$max_speed_s" "$res"
echo

if [[ ${#notes[@]} -gt 0 ]]; then
  echo "Notes (no goal, but these should be zero):"
  printf '  %s\n' "${notes[@]}"
  echo
fi
if [[ $failed == 1 ]]; then
  echo "RESULT: FAIL (a goal was missed; raw figures in $raw)"
  exit 1
fi
echo "RESULT: PASS (raw figures in $raw)"
