#!/usr/bin/env bash
# Window smoke test: starts the real binary under Xvfb, lets it train,
# takes a screenshot, checks that the window drew samples and plots (not a
# blank or uniform image), then sends SIGTERM and checks that the program
# exits cleanly. Usage: smoke.sh BINARY [SECONDS]
set -euo pipefail
bin=$(realpath "$1")
seconds=${2:-25}
out=${SMOKE_OUT:-$(mktemp -d)}
mkdir -p "$out"
display=:$((90 + RANDOM % 100))

Xvfb "$display" -screen 0 1600x1000x24 -nolisten tcp >"$out/xvfb.log" 2>&1 &
xvfb=$!
app=""
cleanup() {
	[ -n "$app" ] && kill "$app" 2>/dev/null || true
	kill "$xvfb" 2>/dev/null || true
}
trap cleanup EXIT

ready=""
for _ in $(seq 100); do
	if DISPLAY=$display xdpyinfo >/dev/null 2>&1; then
		ready=1
		break
	fi
	sleep 0.1
done
if [ -z "$ready" ]; then
	echo "smoke: Xvfb did not start on $display; its log:" >&2
	cat "$out/xvfb.log" >&2
	exit 1
fi

# A fresh preferences folder, so the run starts from the defaults.
export HOME="$out/home"
mkdir -p "$HOME"
DISPLAY=$display EBMLAB_LOG=debug "$bin" >"$out/app.log" 2>&1 &
app=$!
sleep "$seconds"
if ! kill -0 "$app" 2>/dev/null; then
	echo "smoke: ebmlab exited early; its log:" >&2
	cat "$out/app.log" >&2
	exit 1
fi

DISPLAY=$display /usr/bin/import -window root "$out/shot.png"
# The standard deviation of the grey levels is near 0 for a blank window.
spread=$(/usr/bin/convert "$out/shot.png" -colorspace Gray -format '%[fx:standard_deviation]' info:)
colours=$(/usr/bin/convert "$out/shot.png" -format '%k' info:)
echo "smoke: screenshot $out/shot.png, grey-level spread $spread, $colours colours"
if awk -v s="$spread" -v c="$colours" 'BEGIN { exit !(s < 0.05 || c < 64) }'; then
	echo "smoke: the window looks blank or uniform" >&2
	exit 1
fi
if ! grep -q 'iteration' "$out/app.log"; then
	echo "smoke: the log shows no training iteration; its log:" >&2
	cat "$out/app.log" >&2
	exit 1
fi

# On SIGTERM the program closes its window and stops the engine.
kill -TERM "$app"
status=0
for _ in $(seq 100); do
	kill -0 "$app" 2>/dev/null || break
	sleep 0.1
done
if kill -0 "$app" 2>/dev/null; then
	echo "smoke: ebmlab did not exit within 10 s of SIGTERM" >&2
	exit 1
fi
wait "$app" || status=$?
app=""
if [ "$status" -ne 0 ]; then
	echo "smoke: ebmlab exited with status $status; its log:" >&2
	cat "$out/app.log" >&2
	exit 1
fi
echo "smoke: ok"
