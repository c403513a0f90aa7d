#!/bin/sh
# trunk post-build hook: writes the site's service worker (www/sw.js) with this build's version
# (a hash of the files it caches) and the lists of files to cache, so the playground works
# offline after one visit and a new build replaces the old cache.
set -eu
stage="${TRUNK_STAGING_DIR:?run by trunk as a post-build hook}"
source_dir="${TRUNK_SOURCE_DIR:-.}"
cd "$stage"
# The draw page: its HTML, script, wasm, style and the model it loads.
shell="./index.html $(ls inkling-web-*.js inkling-web-*_bg.wasm style-*.css) models/dsd-s-int8.inkling"
# Training: the trainer worker and MNIST (Fashion-MNIST is kept once a run fetches it).
later="$(ls inkling-worker*.js inkling-worker*_bg.wasm) $(ls data/mnist/*.gz 2>/dev/null || true)"
json() {
  printf '['
  sep=""
  for f in "$@"; do printf '%s"%s"' "$sep" "$f"; sep=", "; done
  printf ']'
}
version="$(cat $shell $later | sha256sum | cut -c1-16)"
# shellcheck disable=SC2086
sed -e "s|__VERSION__|$version|" \
  -e "s|__SHELL__|$(json $shell)|" \
  -e "s|__LATER__|$(json $later)|" \
  "$source_dir/www/sw.js" >sw.js
echo "service worker: version $version" >&2
