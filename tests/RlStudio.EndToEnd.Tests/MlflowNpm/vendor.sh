#!/usr/bin/env bash
# Refreshes the vendored npm MLflow client (mlflow@2.0.7, github.com/Yuhsak/mlflow, MIT) under modules/. Its only
# dependency, isomorphic-unfetch, is a fetch polyfill; Node 18+ has fetch built in, so modules/isomorphic-unfetch is a
# one-line shim handing it the built-in one. Run by hand and commit the result; nothing here runs at build or test time.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack mlflow@2.0.7 >/dev/null && tar xzf mlflow-2.0.7.tgz)
rm -rf "$here/modules/mlflow"
mkdir -p "$here/modules/mlflow"
cp -r "$work/package/index.js" "$work/package/enum.js" "$work/package/lib" "$work/package/LICENSE" "$work/package/package.json" "$here/modules/mlflow/"
rm -f "$here"/modules/mlflow/lib/*.d.ts
mkdir -p "$here/modules/isomorphic-unfetch"
echo 'module.exports = globalThis.fetch;' > "$here/modules/isomorphic-unfetch/index.js"
