#!/usr/bin/env bash
# Fails when an omv binary built with -DOMV_PLATFORM=posix still calls a Linux-only function
# (src/platform/linux is left out of that build; this proves nothing else reaches for one).
# syscall is listed because pidfd_open is reached through syscall(SYS_pidfd_open).
# Usage: scripts/check-portable.sh BINARY
set -euo pipefail
binary=${1:?usage: scripts/check-portable.sh BINARY}
[ -f "$binary" ] || { echo "check-portable: $binary does not exist (build the omv target first)" >&2; exit 2; }
linux_only='^(inotify_[a-z_0-9]*|pidfd_[a-z_0-9]*|signalfd[0-9]*|renameat2|prctl|epoll_[a-z_0-9]*|syscall)(@.*)?$'
found=$( { nm -D --undefined-only "$binary" 2>/dev/null; nm --undefined-only "$binary" 2>/dev/null || true; } |
  awk '{print $NF}' | grep -E "$linux_only" | sort -u || true)
if [ -n "$found" ]; then
  echo "check-portable: $binary calls Linux-only functions: $(echo "$found" | tr '\n' ' ')" >&2
  echo "  hint: move the call into src/platform/linux and give src/platform/posix an equivalent" >&2
  exit 1
fi
echo "check-portable: $binary calls none of inotify_*, pidfd_*, signalfd, renameat2, prctl, epoll_*, syscall"
