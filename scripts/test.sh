#!/usr/bin/env bash
# test.sh: installs what is missing, builds, and runs every test with ctest.
# Exits non-zero on any failure.
#
#   scripts/test.sh              all tests, normal build (build/)
#   scripts/test.sh --sanitize   the same under AddressSanitizer and UBSan
#                                (build-asan/)
#   scripts/test.sh -R REGEX     only the tests whose names match
set -euo pipefail
cd "$(dirname "$0")/.."

build=build
cmake_args=(-DCMAKE_BUILD_TYPE=RelWithDebInfo)
ctest_args=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --sanitize) build=build-asan; cmake_args+=(-DASYNCACTOR_SANITIZE=ON) ;;
    -R) ctest_args+=(-R "$2"); shift ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) echo "test.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done

scripts/install-deps.sh
cmake -S . -B "$build" "${cmake_args[@]}" >/dev/null
cmake --build "$build" -j2
# One test binary at a time: the integration suites measure protocol timing
# on real processes and must not compete for the two cores.
ctest --test-dir "$build" --output-on-failure "${ctest_args[@]}"
