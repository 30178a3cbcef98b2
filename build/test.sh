#!/usr/bin/env bash
# The README's test command: installs what the tests need (as root, via apt), builds once, runs every
# test project in turn, and ends with one line "N passed, N failed" (the totals of all projects).
# Usage: bash build/test.sh [extra dotnet test args, e.g. --filter Category!=Slow]
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
root="$(pwd)"

# System packages: PostgreSQL server binaries, Chromium for the browser tests, patchelf for the TorchSharp
# compat patch (build/torchsharp-compat), docker-compose to validate docker-compose.yml, and PyTorch for Debian's own
# python3 (the engine's parity tests run tests/reference/ with /usr/bin/python3; they fail, never skip, without it).
missing=()
[[ -x /usr/bin/chromium ]] || missing+=(chromium)
command -v patchelf >/dev/null || missing+=(patchelf)
command -v docker-compose >/dev/null || missing+=(docker-compose)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
/usr/bin/python3 -c 'import torch' >/dev/null 2>&1 || missing+=(python3-torch)
if ((${#missing[@]})); then
  if [[ "$(id -u)" == 0 ]]; then
    echo "Installing: ${missing[*]}"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "Please install: ${missing[*]} (e.g. sudo apt-get install ${missing[*]})" >&2
    exit 1
  fi
fi

# As root, the throwaway test clusters run as the system user postgres (PostgreSQL refuses root).
if [[ "$(id -u)" == 0 ]] && ! id postgres >/dev/null 2>&1; then
  useradd --system --home-dir /var/lib/postgresql --shell /usr/sbin/nologin postgres
fi

dotnet build RlStudio.sln -c Debug --nologo -v q -clp:ErrorsOnly || { echo "0 passed, 1 failed"; exit 1; }

results="$root/TestResults"
rm -rf "$results"
mkdir -p "$results"
status=0
for project in tests/*/*.csproj; do
  name="$(basename "$project" .csproj)"
  echo "=== $name"
  dotnet test "$project" --no-build --nologo -v q --logger "trx;LogFileName=$name.trx" --results-directory "$results" "$@" || status=1
done

passed=0; failed=0
for trx in "$results"/*.trx; do
  [[ -f "$trx" ]] || continue
  counters="$(grep -o '<Counters [^>]*>' "$trx" | head -1)"
  p="$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")"
  f="$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")"
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
done
# A project that crashed before writing its results counts as a failure.
expected="$(ls tests/*/*.csproj | wc -l)"
written="$(ls "$results"/*.trx 2>/dev/null | wc -l)"
if ((written < expected)); then failed=$((failed + expected - written)); status=1; fi
# What failed, and why, so a CI log alone says what to fix.
if ((failed)); then
  python3 - "$results" <<'PY'
import glob, sys, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
for trx in sorted(glob.glob(sys.argv[1] + "/*.trx")):
    for result in ET.parse(trx).getroot().iterfind(".//t:UnitTestResult[@outcome='Failed']", ns):
        print("--- FAILED " + result.get("testName"))
        for tag in ("Message", "StackTrace", "StdOut"):
            node = result.find(".//t:Output/t:ErrorInfo/t:" + tag, ns) if tag != "StdOut" else result.find(".//t:Output/t:StdOut", ns)
            if node is not None and node.text:
                lines = node.text.strip().splitlines()
                print("\n".join(lines[-40:] if tag == "StdOut" else lines[:25]))
PY
fi
echo "$passed passed, $failed failed"
exit $status
