#!/usr/bin/env bash
# Makes TorchSharp 0.107's native binding loadable where the system libstdc++ predates GCC 13
# (Debian 12). Patches every libLibTorchSharp.so under DIR; does nothing where libstdc++ already
# provides GLIBCXX_3.4.32 or the files are patched already. Idempotent; run after every build.
# Usage: patch.sh DIR
set -euo pipefail
target_dir="$1"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
symbol=_ZSt21ios_base_library_initv
version=GLIBCXX_3.4.32
compat_name=libios_base_compat.so

libstdcxx="$(ldconfig -p 2>/dev/null | awk '/libstdc\+\+\.so\.6 .*x86-64/ {print $NF; exit}')"
if [[ -n "$libstdcxx" ]] && grep -q "$version" "$libstdcxx" 2>/dev/null; then
  exit 0 # new enough: nothing to do
fi
mapfile -t libs < <(find "$target_dir" -name libLibTorchSharp.so 2>/dev/null)
[[ ${#libs[@]} -eq 0 ]] && exit 0

if ! command -v patchelf >/dev/null; then
  if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null; then
    echo "torchsharp-compat: installing patchelf (apt)" >&2
    (apt-get install -y -qq patchelf >/dev/null 2>&1 || { apt-get update -qq >/dev/null && apt-get install -y -qq patchelf >/dev/null; })
  else
    echo "torchsharp-compat: patchelf is required (apt-get install patchelf) to load TorchSharp here" >&2
    exit 1
  fi
fi

tools="${RLSTUDIO_COMPAT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/rlstudio-torchsharp-compat}"
mkdir -p "$tools"
if [[ ! -f "$tools/$compat_name" || "$here/ios_base_compat.cpp" -nt "$tools/$compat_name" ]]; then
  g++ -shared -fPIC -O2 -o "$tools/$compat_name.tmp" "$here/ios_base_compat.cpp" && mv "$tools/$compat_name.tmp" "$tools/$compat_name"
fi
if [[ ! -x "$tools/weaken_verneed" || "$here/weaken_verneed.cpp" -nt "$tools/weaken_verneed" ]]; then
  g++ -O2 -o "$tools/weaken_verneed.tmp" "$here/weaken_verneed.cpp" && mv "$tools/weaken_verneed.tmp" "$tools/weaken_verneed"
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
