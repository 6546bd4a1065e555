#!/usr/bin/env bash
# rest_memory.sh [FLAGS]: how much memory the real app uses at rest. Starts
# bin/backsight FLAGS (default --demo; e.g. --open DIR for a project of your
# own) under Xvfb with fresh home folders, waits until the main
# window is up and the start-up work has settled, then reads the process's
# /proc smaps and prints its resident memory, split into the app's own (its
# heap and its binary), the OpenGL libraries and driver, and the rest. (The
# driver's own allocations land in the heap line: smaps cannot tell them apart.)
#
# Target (issue 8): under 150 MiB resident. Exits 1 above it.
#
# Environment: BIN (default bin/backsight), SETTLE seconds after the window
# appears (default 60: longer than the project's 30 s idle-connection time),
# LIMIT_MIB (default 150), WINDOW_TIMEOUT (default 60).
# Needs xvfb-run and xdotool (make bench installs them).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
bin=$(realpath "${BIN:-$root/bin/backsight}")
settle=${SETTLE:-60}
limit_mib=${LIMIT_MIB:-150}
window_timeout=${WINDOW_TIMEOUT:-60}

[ -x "$bin" ] || { echo "rest_memory: $bin is missing; run make build" >&2; exit 1; }
for tool in xvfb-run xdotool; do
  command -v "$tool" >/dev/null || { echo "rest_memory: $tool is missing" >&2; exit 1; }
done

# Re-run inside a display of our own.
if [ -z "${REST_MEMORY_DISPLAY:-}" ]; then
  exec xvfb-run -a -s "-screen 0 1280x860x24 -nolisten tcp" \
    env REST_MEMORY_DISPLAY=1 bash "$0" "$@"
fi

[ $# -gt 0 ] || set -- --demo

work=$(mktemp -d)
app=""
cleanup() {
  if [ -n "$app" ]; then
    kill "$app" 2>/dev/null || true
    wait "$app" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

export HOME="$work/home" XDG_CONFIG_HOME="$work/config" XDG_CACHE_HOME="$work/cache"
export XDG_DATA_HOME="$work/data" BROWSER=true
mkdir -p "$HOME"

"$bin" "$@" >"$work/backsight.log" 2>&1 &
app=$!

if ! timeout "$window_timeout" xdotool search --sync --onlyvisible --name 'Backsight' >/dev/null; then
  echo "rest_memory: no main window after ${window_timeout}s; the app said:" >&2
  cat "$work/backsight.log" >&2
  exit 1
fi
sleep "$settle"
kill -0 "$app" 2>/dev/null || { echo "rest_memory: backsight exited" >&2; exit 1; }

echo "rest_memory: $bin $*, ${settle}s after its window appeared"
echo "rest_memory: GL renderer: $(glxinfo -B 2>/dev/null | sed -n 's/.*OpenGL renderer string: //p' || true)"

# Sum Rss and Pss (kB) of each mapping into a group by its path.
# The OpenGL stack: the dispatch libraries, Mesa's driver (llvmpipe under
# Xvfb) and what only the driver uses (LLVM and its C++, ICU, Z3, XML and ELF
# libraries), plus Mesa's shader cache.
gl='libGL|libEGL|libgbm|libglapi|libgallium|_dri\\.so|libLLVM|libstdc\\+\\+|libz3|libicu|libxml2|'
gl+='libedit|libelf|libsensors|libdrm|libvulkan|libxshmfence|libffi|mesa_shader_cache'

awk -v bin="$bin" -v limit="$limit_mib" -v gl="$gl" '
  /^[0-9a-f]+-[0-9a-f]+ / {
    path = $6
    if (path == "" || path ~ /^\[(heap|stack|anon)/) group = "app: heap (Go and C)"
    else if (path == bin) group = "app: binary"
    else if (path ~ gl) group = "OpenGL libraries and driver"
    else if (path ~ /^\/SYSV|^\/memfd:|^\/dev\/shm/) group = "shared with the X server"
    else group = "other libraries and files"
    next
  }
  /^Rss:/ { rss[group] += $2; total += $2 }
  /^Pss:/ { pss[group] += $2; ptotal += $2 }
  END {
    printf "%-30s %9s %9s\n", "", "RSS MiB", "PSS MiB"
    for (g in rss) printf "%-30s %9.1f %9.1f\n", g, rss[g] / 1024, pss[g] / 1024
    printf "%-30s %9.1f %9.1f\n", "total", total / 1024, ptotal / 1024
    app = rss["app: heap (Go and C)"] + rss["app: binary"]
    printf "rest_memory: app alone (heap + binary) %.1f MiB; target: total RSS under %d MiB\n", app / 1024, limit
    if (total / 1024 >= limit) { print "rest_memory: OVER the target"; exit 1 }
    print "rest_memory: within the target"
  }
' "/proc/$app/smaps"
