#!/usr/bin/env bash
# Makes TorchSharp 0.107's native binding loadable where the system libstdc++ predates GCC 13
# (Debian 12). Patches every libLibTorchSharp.so under DIR; does nothing where libstdc++ already
# provides GLIBCXX_3.4.32 or the files are patched already. Idempotent; run after every build.
# Usage: patch.sh DIR
set -euo pipefail
# MSBuild shows lines in this format as build errors, so a failure says what failed even under -clp:ErrorsOnly.
trap 'echo "torchsharp-compat : error TSC0001: line $LINENO failed: $BASH_COMMAND" >&2' ERR
target_dir="$1"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
symbol=_ZSt21ios_base_library_initv
version=GLIBCXX_3.4.32
compat_name=libios_base_compat.so

libstdcxx="$({ ldconfig -p 2>/dev/null || /sbin/ldconfig -p 2>/dev/null || true; } | awk '/libstdc\+\+\.so\.6 .*x86-64/ {print $NF; exit}')"
if [[ -n "$libstdcxx" ]] && grep -q "$version" "$libstdcxx" 2>/dev/null; then
  exit 0 # new enough: nothing to do
fi
mapfile -t libs < <(find "$target_dir" -name libLibTorchSharp.so 2>/dev/null)
[[ ${#libs[@]} -eq 0 ]] && exit 0

install_or_fail() { # COMMAND PACKAGE
  command -v "$1" >/dev/null && return 0
  if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null; then
    echo "torchsharp-compat: installing $2 (apt)" >&2
    apt-get install -y -qq "$2" >/dev/null 2>&1 || { apt-get update -qq >/dev/null && apt-get install -y -qq "$2" >/dev/null; }
  else
    echo "torchsharp-compat : error TSC0002: $1 is required to load TorchSharp here (apt-get install $2)" >&2
    exit 1
  fi
}

# Projects build in parallel and each runs this script: one at a time, so the shared tools are built
# once and never read half-written. The tools live in the repository (ignored), not under $HOME.
tools="${RLSTUDIO_COMPAT_CACHE:-$here/obj}"
mkdir -p "$tools"
exec 9>"$tools/.lock"
flock 9
install_or_fail patchelf patchelf
install_or_fail g++ g++
if [[ ! -f "$tools/$compat_name" || "$here/ios_base_compat.cpp" -nt "$tools/$compat_name" ]]; then
  g++ -shared -fPIC -O2 -o "$tools/$compat_name.tmp" "$here/ios_base_compat.cpp"
  mv -f "$tools/$compat_name.tmp" "$tools/$compat_name"
fi
if [[ ! -x "$tools/weaken_verneed" || "$here/weaken_verneed.cpp" -nt "$tools/weaken_verneed" ]]; then
  g++ -O2 -o "$tools/weaken_verneed.tmp" "$here/weaken_verneed.cpp"
  mv -f "$tools/weaken_verneed.tmp" "$tools/weaken_verneed"
fi

for lib in "${libs[@]}"; do
  dir="$(dirname "$lib")"
  cp -f "$tools/$compat_name" "$dir/$compat_name"
  if patchelf --print-needed "$lib" | grep -qx "$compat_name"; then continue; fi
  tmp="$lib.patching"
  cp -f "$lib" "$tmp"
  patchelf --clear-symbol-version "$symbol" "$tmp"
  patchelf --add-needed "$compat_name" "$tmp"
  "$tools/weaken_verneed" "$tmp" "$version"
  mv -f "$tmp" "$lib"
  echo "torchsharp-compat: patched $lib" >&2
done
