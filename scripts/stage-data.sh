#!/bin/sh
# trunk build hook: copies the verified datasets (gzip IDX) into the built site under data/, where
# the trainer worker downloads them from. Datasets come from $INKLING_DATA/<name> (set by
# scripts/setup.sh), else the checkout's ../shared/data, else ~/.local/share/inkling; Fashion-MNIST
# also from Debian's dataset-fashion-mnist package. A missing dataset is skipped with a warning:
# drawing works without it, and the training panel says which file the site lacks.
set -eu
stage="${TRUNK_STAGING_DIR:?run by trunk as a build hook}"
root="${INKLING_DATA:-}"
if [ -z "$root" ]; then
  if [ -d "../shared/data/mnist" ]; then root="../shared/data"; else root="$HOME/.local/share/inkling"; fi
fi
files="train-images-idx3-ubyte.gz train-labels-idx1-ubyte.gz t10k-images-idx3-ubyte.gz t10k-labels-idx1-ubyte.gz"
for name in mnist fashion-mnist; do
  src="$root/$name"
  if [ "$name" = fashion-mnist ] && [ ! -f "$src/train-images-idx3-ubyte.gz" ]; then
    src="/usr/share/datasets/fashion-mnist"
  fi
  missing=""
  for f in $files; do [ -f "$src/$f" ] || missing="$missing $f"; done
  if [ -n "$missing" ]; then
    echo "warning: $name not staged (missing in $src:$missing); in-browser training on it will fail to load" >&2
    continue
  fi
  mkdir -p "$stage/data/$name"
  for f in $files; do cp "$src/$f" "$stage/data/$name/$f"; chmod u+w "$stage/data/$name/$f"; done
done
