#!/usr/bin/env bash
# Uploads a 1 GiB file to the local Procore sandbox with Backsight's client
# (segmented, concurrent) and prints its throughput and resident memory
# growth against the bound concurrency x segment size + 16 MiB.
# SIZE, SEGMENT (bytes) and CONCURRENCY can be set in the environment.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib_transfer.sh

SIZE=${SIZE:-1073741824}
SEGMENT=${SEGMENT:-8388608}
CONCURRENCY=${CONCURRENCY:-4}
work=$(mktemp -d)
trap 'stop_sandbox; rm -rf "$work"' EXIT

start_sandbox "$work"
out=$("$work/transferbench" upload -coords "$work/coords.json" -size "$SIZE" \
	-segment "$SEGMENT" -concurrency "$CONCURRENCY" -dir "$work")

awk -v s="$(echo "$out" | jget mib_per_s)" -v g="$(echo "$out" | jget rss_growth_mib)" \
	-v b="$(echo "$out" | jget bound_mib)" 'BEGIN{
	printf "upload %.0f MiB: %.1f MiB/s, client memory growth %.1f MiB (bound %.0f MiB) %s\n",
		'"$SIZE"'/1048576, s, g, b, (g <= b) ? "OK" : "ABOVE BOUND"
}'
