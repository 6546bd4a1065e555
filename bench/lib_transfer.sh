# Shared helpers of the transfer benchmarks (sourced, not run).

# jget FIELD: prints a string or number field of the one-line JSON on stdin.
jget() {
	sed -n "s/.*\"$1\":\"\{0,1\}\([^\",}]*\)\"\{0,1\}[,}].*/\1/p"
}

# start_sandbox WORKDIR: builds transferbench, starts a sandbox in its own
# process and waits for WORKDIR/coords.json. stop_sandbox ends it.
start_sandbox() {
	work=$1
	go build -o "$work/transferbench" ./bench/transferbench
	mkfifo "$work/stdin"
	"$work/transferbench" serve -data "$work/data" <"$work/stdin" >"$work/coords.json" &
	sandbox_pid=$!
	exec 3>"$work/stdin"
	for _ in $(seq 1 100); do
		[ -s "$work/coords.json" ] && return 0
		sleep 0.1
	done
	echo "sandbox did not start" >&2
	return 1
}

stop_sandbox() {
	exec 3>&- 2>/dev/null || true
	[ -n "${sandbox_pid:-}" ] && wait "$sandbox_pid" 2>/dev/null || true
}
