#!/usr/bin/env bash
# Downloads the same 1 GiB file from the local Procore sandbox with curl and
# with Backsight's client, side by side, RUNS times each (alternating which
# goes first), and prints the best throughput of each, their ratio (target:
# client >= 0.9 x curl) and the client's resident memory growth during its
# download (target: < 32 MiB). Both sides write to disk and fsync the file.
# The client's figure is its default download, without the SHA-256 (Procore
# publishes no checksum; only `backsight procore get` asks for one, to print
# it). The hashed download is measured in the same runs and printed on its
# own line, with its own ratio, so that its cost is in plain sight.
# SIZE (bytes) and RUNS can be set in the environment.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib_transfer.sh

SIZE=${SIZE:-1073741824}
RUNS=${RUNS:-5}
work=$(mktemp -d)
trap 'stop_sandbox; rm -rf "$work"' EXIT

start_sandbox "$work"
token=$(jget token <"$work/coords.json")

echo "uploading a $SIZE-byte file to the sandbox..."
up=$("$work/transferbench" upload -coords "$work/coords.json" -size "$SIZE" -dir "$work")
url=$(echo "$up" | jget url)
sum=$(echo "$up" | jget sha256)

now() { date +%s%N; }

# run_curl: curl follows the redirect itself (it keeps the custom
# Authorization header off the storage host, another port, as the storage
# demands); the file is then synced, as the client syncs before its rename,
# so both sides do the same work. Prints bytes per second.
run_curl() {
	sync
	t0=$(now)
	curl -sS -L --fail -H "Authorization: Bearer $token" -o "$work/curl.bin" "$url"
	sync "$work/curl.bin"
	t1=$(now)
	rm -f "$work/curl.bin"
	awk -v n="$SIZE" -v ns="$((t1 - t0))" 'BEGIN{print n / (ns / 1e9)}'
}

# run_ours [-hash]: the client's download (temp file, size check, fsync,
# rename; with -hash also the SHA-256 as it goes, which the client then
# reports). Prints bytes per second and memory growth in MiB. The file is
# checked against the uploaded bytes after the clock stops: by the client's
# digest with -hash, else by sha256sum.
run_ours() {
	sync
	out=$("$work/transferbench" download -coords "$work/coords.json" -url "$url" -size "$SIZE" \
		-out "$work/ours.bin" "$@")
	if [ "${1:-}" = -hash ]; then
		got=$(echo "$out" | jget sha256)
	else
		got=$(sha256sum "$work/ours.bin" | cut -d' ' -f1)
	fi
	rm -f "$work/ours.bin"
	[ "$got" = "$sum" ] || { echo "client download hash differs" >&2; exit 1; }
	echo "$(echo "$out" | jget bytes_per_s) $(echo "$out" | jget rss_growth_mib)"
}

mibs() { awk -v s="$1" 'BEGIN{print s/1048576}'; }

best_curl=0
best_ours=0
best_hashed=0
worst_mem=0
for run in $(seq 1 "$RUNS"); do
	# Alternate the order so that neither side always gets the warmer cache.
	if [ $((run % 2)) -eq 1 ]; then
		speed=$(run_curl)
		read -r oursp mem < <(run_ours)
		read -r hashp hmem < <(run_ours -hash)
	else
		read -r hashp hmem < <(run_ours -hash)
		read -r oursp mem < <(run_ours)
		speed=$(run_curl)
	fi

	printf 'run %d: curl %.1f MiB/s, client %.1f MiB/s (hashed %.1f), memory growth %.1f MiB (hashed %.1f)\n' \
		"$run" "$(mibs "$speed")" "$(mibs "$oursp")" "$(mibs "$hashp")" "$mem" "$hmem"
	best_curl=$(awk -v a="$best_curl" -v b="$speed" 'BEGIN{print (b>a)?b:a}')
	best_ours=$(awk -v a="$best_ours" -v b="$oursp" 'BEGIN{print (b>a)?b:a}')
	best_hashed=$(awk -v a="$best_hashed" -v b="$hashp" 'BEGIN{print (b>a)?b:a}')
	worst_mem=$(awk -v a="$worst_mem" -v b="$mem" -v c="$hmem" 'BEGIN{m=(b>a)?b:a; print (c>m)?c:m}')
done

awk -v c="$best_curl" -v o="$best_ours" -v h="$best_hashed" -v m="$worst_mem" 'BEGIN{
	r = o / c
	printf "download %.0f MiB: curl %.1f MiB/s, client %.1f MiB/s, ratio %.2f (target >= 0.90) %s\n",
		'"$SIZE"'/1048576, c/1048576, o/1048576, r, (r >= 0.9) ? "OK" : "BELOW TARGET"
	printf "hashed download (SHA-256, as procore get): %.1f MiB/s, ratio %.2f (not the target path)\n",
		h/1048576, h / c
	printf "client memory growth %.1f MiB, either path (target < 32) %s\n", m, (m < 32) ? "OK" : "ABOVE TARGET"
}'
