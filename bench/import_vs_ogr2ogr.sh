#!/usr/bin/env bash
# Compares importing a PNEZD point file into a Backsight project with GDAL's
# ogr2ogr converting the same file to a GeoPackage, in the same run, and
# times exports of all points to CSV and LandXML.
#
# Usage: bench/import_vs_ogr2ogr.sh [points]   (default 1000000)
# Env:   WORK=dir keeps the generated files there (default: a temp dir, removed).
# Needs: go, awk; ogr2ogr (Debian gdal-bin) for the comparison; /usr/bin/time
# for peak RSS (else the Go runtime figures printed by importbench are all).
set -euo pipefail

n=${1:-1000000}
root=$(cd "$(dirname "$0")/.." && pwd)
work=${WORK:-}
if [ -z "$work" ]; then
	work=$(mktemp -d)
	trap 'rm -rf "$work"' EXIT
fi

mkdir -p "$work"
in="$work/points.csv"

echo "generating $n PNEZD points (no header, comma, CRLF-free) in $in"
awk -v n="$n" 'BEGIN {
	srand(1)
	split("TOPWALL,EP,GS,SW,TOP BANK,FH,BC E BB B,EP          E", codes, ",")
	for (i = 1; i <= n; i++)
		printf "%d,%.3f,%.3f,%.3f,%s\n", i, 538000 + rand() * 1200, 1454000 + rand() * 1800, 650 + rand() * 60, codes[int(rand() * 8) + 1]
}' > "$in"
ls -l "$in"

timer=()
if [ -x /usr/bin/time ]; then
	timer=(/usr/bin/time -f "wall %e s, user %U s, sys %S s, peak RSS %M KiB")
fi

run() { # label, command...
	local label=$1
	shift
	local start end
	start=$(date +%s.%N)
	if [ ${#timer[@]} -gt 0 ]; then
		"${timer[@]}" "$@" 2> "$work/$label.time" > "$work/$label.out" || { cat "$work/$label.time"; return 1; }
	else
		"$@" > "$work/$label.out" 2>&1
	fi

	end=$(date +%s.%N)
	echo "$end - $start" | bc -l > "$work/$label.secs"
	cat "$work/$label.out"
	[ -f "$work/$label.time" ] && tail -n 1 "$work/$label.time"
	return 0
}

ogr=""
if command -v ogr2ogr > /dev/null; then
	rm -f "$work/out.gpkg"
	echo "== ogr2ogr $(ogr2ogr --version)"
	run ogr ogr2ogr -f GPKG "$work/out.gpkg" "$in" -oo HEADERS=NO \
		-oo X_POSSIBLE_NAMES=field_3 -oo Y_POSSIBLE_NAMES=field_2 -oo Z_POSSIBLE_NAMES=field_4
	ogr=$(cat "$work/ogr.secs")
else
	echo "== ogr2ogr not found (apt-get install gdal-bin); comparison skipped"
fi

echo "== backsight import"
(cd "$root" && go build -o "$work/importbench" ./bench/importbench)
run import "$work/importbench" -in "$in"
ours=$(cat "$work/import.secs")

echo "== backsight exports (import again, then export)"
run export "$work/importbench" -in "$in" -export

echo
printf 'import: backsight %.2f s' "$ours"
if [ -n "$ogr" ]; then
	printf ', ogr2ogr %.2f s, ratio backsight/ogr2ogr %.2f (target <= 1)' "$ogr" "$(echo "$ours / $ogr" | bc -l)"
fi

echo
