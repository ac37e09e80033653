#!/usr/bin/env bash
# Installs what building and testing hsmigrate needs, from Debian's
# packages, only when something is missing. Safe to run repeatedly.
set -eu

pkgs=(build-essential pkg-config libcurl4-openssl-dev libjansson-dev
      libsqlite3-dev libmicrohttpd-dev libcmocka-dev libyaml-dev
      libutf8proc-dev libcsv-dev sqlite3 curl valgrind jq python3 time bc
      tzdata clang-format)
missing=()
for p in "${pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
        missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
    echo "install-deps: installing ${missing[*]}" >&2
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo=sudo
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq \
        --no-install-recommends "${missing[@]}" >&2
fi
