#!/usr/bin/env bash
# Refreshes the vendored browser libraries under wwwroot/lib from npm (versions pinned in package.json).
# Run from anywhere: build/ui-vendor/vendor.sh. Commit the result; nothing here runs at build or run time.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp "$here/package.json" "$work/"
(cd "$work" && npm install --no-audit --no-fund --ignore-scripts >/dev/null)
m="$work/node_modules"

mkdir -p "$root/wwwroot/lib/uplot" "$root/wwwroot/lib/signalr"
cp "$m/uplot/dist/uPlot.iife.min.js" "$root/wwwroot/lib/uplot/uplot.iife.min.js"
cp "$m/uplot/dist/uPlot.min.css" "$root/wwwroot/lib/uplot/uplot.min.css"
cp "$m/uplot/LICENSE" "$root/wwwroot/lib/uplot/LICENSE"

# The signalr.min.js ends with a source map comment; the map is not vendored, so drop the comment.
sed '/^\/\/# sourceMappingURL=/d' "$m/@microsoft/signalr/dist/browser/signalr.min.js" > "$root/wwwroot/lib/signalr/signalr.min.js"
cat > "$root/wwwroot/lib/signalr/LICENSE" <<'LIC'
@microsoft/signalr — Copyright (c) .NET Foundation and Contributors. Licensed under the MIT License:

Permission is hereby granted, free of charge, to any person obtaining a copy of this software and
associated documentation files (the "Software"), to deal in the Software without restriction,
including without limitation the rights to use, copy, modify, merge, publish, distribute, sublicense,
and/or sell copies of the Software, and to permit persons to whom the Software is furnished to do so,
subject to the following conditions:

The above copyright notice and this permission notice shall be included in all copies or substantial
portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT NOT
LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN
NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY,
WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH THE
SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.
LIC
echo "vendored: uplot $(node -p "require('$m/uplot/package.json').version"), @microsoft/signalr $(node -p "require('$m/@microsoft/signalr/package.json').version")"
