#!/usr/bin/env bash
# Installs every build, test and example dependency of augur from Debian 12
# packages. Run as root (or through sudo). Safe to run more than once.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git
  libgrpc++-dev libgrpc-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler
  libabsl-dev libeigen3-dev libsqlite3-dev sqlite3
  libgtest-dev libgmock-dev googletest libbenchmark-dev
  libyaml-cpp-dev libcli11-dev libspdlog-dev libfmt-dev
  libcurl4-openssl-dev nlohmann-json3-dev liblbfgspp-dev libcpp-httplib-dev
  clang libclang-rt-14-dev
  python3 python3-venv python3-pip python3-grpcio python3-protobuf
  python3-pytest python3-sklearn python3-numpy python3-yaml
)

sudo_cmd=()
if [[ "$(id -u)" -ne 0 ]]; then
  sudo_cmd=(sudo)
fi

# The manifest check runs on Node.js. Some machines ship Node.js with npm
# from another source, where Debian's npm package would conflict.
if ! command -v npm >/dev/null 2>&1; then
  packages+=(nodejs npm)
fi

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "${package}" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("${package}")
  fi
done

if ((${#missing[@]} > 0)); then
  echo "setup: installing ${#missing[@]} Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "setup: all Debian packages are installed"
fi
