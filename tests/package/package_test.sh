#!/usr/bin/env bash
# The install and the .deb, checked as a user and Debian see them: `cmake --install` puts every
# file where it belongs, the man pages render, the completion scripts load in their shells, the
# .deb passes lintian and installs, runs and removes cleanly with dpkg in a scratch root.
# Usage: tests/package/package_test.sh BUILD_DIR
set -euo pipefail
build=$(cd "$1" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/omv-package.XXXXXX")
trap 'rm -rf "$work"' EXIT
fail() { echo "package_test: $*" >&2; exit 1; }

cmake --build "$build" --target omv omv_generated_files omv_debian_docs >/dev/null

echo "-- cmake --install into $work/prefix"
cmake --install "$build" --prefix "$work/prefix" >/dev/null
p=$work/prefix
for f in bin/omv share/man/man1/omv.1.gz share/man/man1/omv-flash.1.gz share/man/man1/omv-sim.1.gz \
  share/bash-completion/completions/omv share/zsh/vendor-completions/_omv \
  share/fish/vendor_completions.d/omv.fish lib/udev/rules.d/60-omv.rules \
  share/doc/omv/README.md share/doc/omv/copyright share/doc/omv/changelog.gz; do
  [ -s "$p/$f" ] || fail "cmake --install left out $f"
done
"$p/bin/omv" --version | grep -q "^omv [0-9]" || fail "installed omv --version"
# One man page per command, named after it.
commands=$("$p/bin/omv" help --commands | cut -f1)
for c in $commands; do [ -s "$p/share/man/man1/omv-$c.1.gz" ] || fail "no man page omv-$c(1)"; done
page=$(MANWIDTH=100 man -P cat -l "$p/share/man/man1/omv-flash.1.gz" 2>"$work/man.err")
grep -q -- "--firmware" <<<"$page" || fail "omv-flash(1) has no --firmware"
grep -q "EXAMPLES" <<<"$page" || fail "omv-flash(1) has no EXAMPLES section"
grep -q "omv-recover" <<<"$(man -P cat -l "$p/share/man/man1/omv.1.gz" 2>/dev/null)" || fail "omv(1) does not refer to omv-recover(1)"
[ ! -s "$work/man.err" ] || fail "man warns about omv-flash(1): $(head -1 "$work/man.err")"
zsh -n "$p/share/zsh/vendor-completions/_omv" || fail "zsh cannot parse _omv"
fish -n "$p/share/fish/vendor_completions.d/omv.fish" || fail "fish cannot parse omv.fish"
bash -n "$p/share/bash-completion/completions/omv" || fail "bash cannot parse the completion"
cmp -s "$p/lib/udev/rules.d/60-omv.rules" <("$p/bin/omv" udev install --print) || fail "installed udev rules differ from omv's"

echo "-- cpack -G DEB"
(cd "$build" && cpack -G DEB -B "$work/deb" >/dev/null)
deb=$(ls "$work"/deb/omv_*.deb)
depends=$(dpkg-deb -f "$deb" Depends)
for lib in libusb-1.0-0 libhidapi-libusb0 libserialport0 libcurl4 libarchive13 libsqlite3-0; do
  grep -q "$lib" <<<"$depends" || fail "Depends lacks $lib: $depends"
done
echo "-- lintian"
lintian --fail-on error --suppress-tags-from-file /dev/null "$deb" | tee "$work/lintian.txt"
! grep -q '^E:' "$work/lintian.txt" || fail "lintian reports errors"

echo "-- dpkg -i / -r in a scratch root"
root=$work/root
mkdir -p "$root/var/lib/dpkg/info" "$root/var/lib/dpkg/updates" "$root/var/lib/dpkg/triggers"
: >"$root/var/lib/dpkg/status"
# --force-depends: the scratch root has no libraries installed; the binary runs against this system's.
dpkg --root="$root" --force-not-root --force-depends --force-script-chrootless -i "$deb" >"$work/dpkg.log" 2>&1 ||
  fail "dpkg -i failed: $(tail -3 "$work/dpkg.log")"
[ "$(dpkg --root="$root" -s omv | sed -n 's/^Status: //p')" = "install ok installed" ] || fail "dpkg does not list omv as installed"
"$root/usr/bin/omv" --version | grep -q "^omv " || fail "omv from the .deb does not run"
"$root/usr/bin/omv" boards | grep -q "OPENMV4" || fail "omv boards from the .deb lists no OPENMV4"
dpkg --root="$root" --force-not-root -r omv >/dev/null
left=$(find "$root" -path "$root/var" -prune -o -type f -print)
[ -z "$left" ] || fail "dpkg -r left files: $left"
echo "package_test: ok ($(basename "$deb"), $(dpkg-deb -f "$deb" Installed-Size) KiB installed)"
