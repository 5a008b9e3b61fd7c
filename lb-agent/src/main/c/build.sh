#!/bin/sh
# Compiles the XDP programs into OUT (a directory under target/, never committed). Without clang the build goes on
# without them (the AF_XDP forwarder then cannot start) unless CI=true, where that is an error.
set -eu
src=$(dirname "$0")
out=$1
if ! command -v clang >/dev/null 2>&1; then
  if [ "${CI:-}" = true ]; then
    echo "shardlb: clang not found; CI=true needs it to compile the XDP programs (apt-get install clang llvm libbpf-dev)" >&2
    exit 1
  fi
  echo "shardlb: clang not found, skipping the XDP programs (XdpForwarder will not start; apt-get install clang llvm libbpf-dev)" >&2
  exit 0
fi
mkdir -p "$out"
for p in shardlb_xdp shardlb_pass; do
  clang -O2 -g -Wall -target bpf -I/usr/include/x86_64-linux-gnu -c "$src/$p.c" -o "$out/$p.o"
done
