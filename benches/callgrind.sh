#!/usr/bin/env bash
# Instructions per call of a workload of benches/instructions.rs, counted by valgrind's
# callgrind: the count of N calls minus the count of none, divided by N.
#
#   benches/callgrind.sh WORKLOAD [N]      # N defaults to 10
#
# The counts are repeatable for the same binary and input, whatever else the machine does.
set -euo pipefail
cd "$(dirname "$0")/.."

workload="${1:?usage: benches/callgrind.sh WORKLOAD [N]}"
calls="${2:-10}"
bin="$(cargo bench --locked --bench instructions --no-run --message-format=json 2>/dev/null |
    sed -n 's/.*"executable":"\([^"]*\)".*/\1/p' | tail -n 1)"

count() {
    valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bin" "$workload" "$1" 2>&1 |
        sed -n 's/.*Collected : *//p'
}

none="$(count 0)"
some="$(count "$calls")"
echo "$workload: $(( (some - none) / calls )) instructions per call ($calls calls: $some, none: $none)"
