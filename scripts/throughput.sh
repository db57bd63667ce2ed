#!/usr/bin/env bash
# Compares training throughput with the window open against the headless
# command on the same defaults (MNIST, mnist-cnn). Each run trains for
# SECONDS; the rate counts iterations finished between 30 s after the
# start and the end, so start-up is left out. Usage:
#   throughput.sh BINARY [SECONDS] [ROUNDS]
# Rounds alternate headless and window runs; the medians are printed.
set -euo pipefail
bin=$(realpath "$1")
seconds=${2:-120}
rounds=${3:-3}
warmup=30
export OPENBLAS_NUM_THREADS=${OPENBLAS_NUM_THREADS:-1}
out=$(mktemp -d)
display=:$((90 + RANDOM % 100))

Xvfb "$display" -screen 0 1600x1000x24 -nolisten tcp >"$out/xvfb.log" 2>&1 &
xvfb=$!
trap 'kill "$xvfb" 2>/dev/null || true' EXIT
sleep 2

# headless_rate prints iterations per second of one headless run.
headless_rate() {
	local dir=$out/headless-$1
	"$bin" train --data mnist --iterations 1000000 --out "$dir" >/dev/null 2>&1 &
	local pid=$!
	sleep "$warmup"
	local first
	first=$(($(wc -l <"$dir/metrics.csv") - 1))
	sleep $((seconds - warmup))
	local last
	last=$(($(wc -l <"$dir/metrics.csv") - 1))
	kill -TERM "$pid"
	wait "$pid" || true
	awk -v a="$first" -v b="$last" -v t=$((seconds - warmup)) 'BEGIN { printf "%.4f\n", (b - a) / t }'
}

# window_rate prints iterations per second of one window run, from the
# engine's iteration count in the log lines written every 10 s.
window_rate() {
	local log=$out/window-$1.log
	HOME="$out/home-$1" DISPLAY=$display "$bin" >"$log" 2>&1 &
	local pid=$!
	sleep "$seconds"
	kill -TERM "$pid"
	wait "$pid" || true
	grep 'msg=training' "$log" | sed -E 's/^time=([^ ]+) .* iteration=([0-9]+) .*/\1 \2/' |
		while read -r stamp iter; do echo "$(date -d "$stamp" +%s.%N) $iter"; done |
		awk -v w="$warmup" 'NR == 1 { t0 = $1 } $1 - t0 >= w && !a { a = 1; ta = $1; ia = $2 } { tb = $1; ib = $2 }
			END { printf "%.4f\n", (ib - ia) / (tb - ta) }'
}

for r in $(seq "$rounds"); do
	h=$(headless_rate "$r")
	w=$(window_rate "$r")
	echo "round $r: headless $h it/s, window $w it/s"
	echo "$h $w" >>"$out/rates"
done
sort -n -k1 "$out/rates" | awk '{ h[NR] = $1 } END { print "median headless:", h[int((NR + 1) / 2)] }'
sort -n -k2 "$out/rates" | awk '{ w[NR] = $2 } END { print "median window:  ", w[int((NR + 1) / 2)] }'
awk '{ printf "%.4f\n", $2 / $1 }' "$out/rates" | sort -n |
	awk '{ r[NR] = $1 } END { printf "median window/headless: %.3f\n", r[int((NR + 1) / 2)] }'
