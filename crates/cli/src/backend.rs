//! Choice of compute backend for the CLI.

use anyhow::Result;
use burn::tensor::Device;

/// Where tensors live.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Backend {
    /// burn's pure-Rust CPU backend (SIMD, multi-threaded).
    Flex,
    /// The GPU through wgpu (Vulkan, Metal, DX12); needs the `wgpu` build feature.
    Wgpu,
}

impl Backend {
    /// The device for this backend, or a clear error if this build lacks it.
    pub fn device(self) -> Result<Device> {
        match self {
            Backend::Flex => Ok(Device::flex()),
            Backend::Wgpu => wgpu_device(),
        }
    }
}

#[cfg(feature = "wgpu")]
fn wgpu_device() -> Result<Device> {
    Device::wgpu_options()
        .init()
        .map_err(|e| anyhow::anyhow!("no usable GPU adapter through wgpu: {e}"))
}

#[cfg(not(feature = "wgpu"))]
fn wgpu_device() -> Result<Device> {
    anyhow::bail!(
        "this inkling was built without the `wgpu` feature; rebuild with `cargo build --release -p inkling-cli --features wgpu`"
    )
}
