#!/usr/bin/env bash
# Installs the Debian packages that building, running or testing EBM Lab
# needs, skipping those already present. Usage: install-deps.sh GROUP...
# Groups: build (cgo, OpenGL and X11 headers, OpenBLAS), test (adds Xvfb,
# X11 utilities and ImageMagick for the window smoke test, and
# Fashion-MNIST so that its reader is tested), bench (adds PyTorch).
set -euo pipefail

build=(gcc pkg-config libgl1-mesa-dev libx11-dev libxcursor-dev libxrandr-dev
	libxinerama-dev libxi-dev libxxf86vm-dev libopenblas-dev)
test=(xvfb x11-utils imagemagick xdotool dataset-fashion-mnist)
bench=(python3-torch python3-numpy)

want=()
for group in "$@"; do
	case "$group" in
	build) want+=("${build[@]}") ;;
	test) want+=("${build[@]}" "${test[@]}") ;;
	bench) want+=("${build[@]}" "${bench[@]}") ;;
	*)
		echo "install-deps.sh: unknown group \"$group\"; use build, test or bench" >&2
		exit 2
		;;
	esac
done

missing=()
for pkg in "${want[@]}"; do
	if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
		missing+=("$pkg")
	fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "Installing Debian packages: ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
	sudo="sudo"
fi
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
