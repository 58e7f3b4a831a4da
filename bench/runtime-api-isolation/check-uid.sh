#!/usr/bin/env bash
# Checks candidate (a) works: PeerUid.java (serve mode) accepts connections on 127.0.0.1 and reads the peer's uid
# from /proc/net/tcp; clients connect as root, as uid 1234 (setpriv), and as uid 1235 inside bubblewrap with its own
# PID/IPC/UTS namespaces but the host network (setpriv inside bwrap, as Kindling will run environments). Also shows
# what `ss -e` (Netlink sock_diag) reports for the sandboxed client's socket. Prints PASS/FAIL per client.
# Usage (as root): bash bench/runtime-api-isolation/check-uid.sh
set -euo pipefail
dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$dir/../../scripts/find-jdk.sh"
work="$(mktemp -d)"; chmod 755 "$work"
trap 'kill "$server" 2>/dev/null || true; rm -rf "$work"' EXIT

"$JAVA_HOME/bin/java" "$dir/PeerUid.java" serve "$work/port" 3 >"$work/seen" &
server=$!
for _ in $(seq 1 100); do [ -s "$work/port" ] && break; sleep 0.1; done
port="$(cat "$work/port")"
# The client connects, says its own uid and local port, and holds the connection for a moment (for ss).
client="import os, socket, time; s = socket.create_connection(('127.0.0.1', $port)); \
print(os.getuid(), s.getsockname()[1], flush=True); time.sleep(0.5)"
sandbox=(bwrap --ro-bind /usr /usr --symlink usr/lib /lib --symlink usr/lib64 /lib64 --symlink usr/bin /bin
         --symlink usr/sbin /sbin --proc /proc --dev /dev --tmpfs /tmp --unshare-pid --unshare-ipc --unshare-uts
         --die-with-parent)

/usr/bin/python3 -c "$client" >"$work/c1"
setpriv --reuid 1234 --regid 1234 --clear-groups /usr/bin/python3 -c "$client" >"$work/c2"
"${sandbox[@]}" setpriv --reuid 1235 --regid 1235 --clear-groups /usr/bin/python3 -c "$client" >"$work/c3" &
sandboxed=$!
sleep 0.3
echo "ss -tne (sock_diag) for the sandboxed client's connection:"
ss -tneH "( dport = :$port )" | sed 's/^/  /'
wait "$sandboxed"
wait "$server"
status=0
for i in 1 2 3; do
  read -r uid cport <"$work/c$i"
  seen="$(awk -v p="$cport" -F'[ =]' '$2==p {print $4}' "$work/seen")"
  case $i in 1) who="root";; 2) who="setpriv uid 1234";; 3) who="bwrap --unshare-pid + setpriv uid 1235";; esac
  if [ "$seen" = "$uid" ]; then echo "PASS $who: client uid $uid, /proc/net/tcp says $seen"
  else echo "FAIL $who: client uid $uid, /proc/net/tcp says ${seen:-nothing}"; status=1; fi
done
exit $status
