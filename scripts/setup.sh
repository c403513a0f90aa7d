# Shared set-up for scripts/test and scripts/play (sourced, not run).
# Installs what the project needs on a fresh Debian machine and exports the build and data paths.
# Arguments: extra Debian packages to install.

set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

# One build cache outside the clone, reused by later runs and CI.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/inkling-target}"
export PATH="$HOME/.cargo/bin:$PATH"

# Each step says when it started, counted from the start of the script (bash's SECONDS).
log() { printf '\n==> [%dm%02ds] %s\n' $((SECONDS / 60)) $((SECONDS % 60)) "$*" >&2; }

need_apt=()
for pkg in "$@"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need_apt+=("$pkg")
done
# Node.js runs Binaryen's wasm-opt (below); any Node.js with npm will do.
command -v npm >/dev/null || need_apt+=(nodejs npm)
if [ ${#need_apt[@]} -gt 0 ]; then
  log "installing Debian packages: ${need_apt[*]}"
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

if ! command -v cargo >/dev/null; then
  echo "Rust is missing: install it from https://rustup.rs and run this again" >&2
  exit 1
fi
rustup component add rustfmt clippy >/dev/null 2>&1 || true
rustup target list --installed | grep -q wasm32-unknown-unknown \
  || rustup target add wasm32-unknown-unknown

# Node.js tools from the npm registry, pinned, outside the clone: Binaryen's wasm-opt (Debian's
# binaryen cannot read current rustc output; trunk finds this one on PATH, Trunk.toml pins its
# version) and axe-core, the accessibility audit the browser tests run in the page.
node_tools="$HOME/.cache/inkling-tools"
export PATH="$node_tools/node_modules/.bin:$PATH"
export INKLING_AXE="$node_tools/node_modules/axe-core/axe.min.js"
NODE_TOOLS=(binaryen@132.0.0 axe-core@4.14.1)
install_node_tools() {
  local want have
  want="$(printf '%s\n' "${NODE_TOOLS[@]}")"
  have="$(cat "$node_tools/installed" 2>/dev/null || true)"
  if [ "$want" != "$have" ]; then
    log "installing from npm: ${NODE_TOOLS[*]}"
    mkdir -p "$node_tools"
    npm install --prefix "$node_tools" --no-audit --no-fund --save-exact "${NODE_TOOLS[@]}" >/dev/null
    printf '%s\n' "$want" >"$node_tools/installed"
  fi
}

# Web build tools, exactly the versions the build expects (trunk never downloads: Trunk.toml
# sets offline). wasm-bindgen-cli must equal the wasm-bindgen crate pinned in Cargo.lock.
install_web_tools() {
  install_node_tools
  if [ "$(trunk --version 2>/dev/null)" != "trunk 0.21.14" ]; then
    log "installing trunk 0.21.14"
    # An unoptimised build: trunk's own release profile (fat LTO, one codegen unit) takes over
    # 12 minutes on 2 cores, this one 5.5, and the site it builds is byte-identical in the same
    # time (the work is cargo's and wasm-bindgen's, not trunk's).
    cargo install --debug --locked trunk@0.21.14
  fi
  local bindgen
  bindgen="$(grep -A1 '^name = "wasm-bindgen"$' Cargo.lock | sed -n 's/^version = "\(.*\)"$/\1/p')"
  if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $bindgen" ]; then
    log "installing wasm-bindgen-cli $bindgen"
    cargo install wasm-bindgen-cli@"$bindgen"
  fi
}

# Datasets: the verified copy beside the checkout (CI), else the user's data directory,
# downloaded with checksum verification on first use.
if [ -z "${INKLING_DATA:-}" ]; then
  if [ -d "$repo/../shared/data/mnist" ]; then
    INKLING_DATA="$(cd "$repo/../shared/data" && pwd)"
  else
    INKLING_DATA="$HOME/.local/share/inkling"
  fi
fi
export INKLING_DATA

# MNIST for the tests and for training in the browser (the site serves it from data/mnist):
# downloaded once from the public mirrors, checksums verified, when the data directory lacks it.
ensure_mnist() {
  if [ ! -f "$INKLING_DATA/mnist/train-images-idx3-ubyte.gz" ]; then
    log "fetching MNIST into $INKLING_DATA/mnist"
    cargo run --release -q -p inkling-cli -- data fetch --data-dir "$INKLING_DATA/mnist"
  fi
}
