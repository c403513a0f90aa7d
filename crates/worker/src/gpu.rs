//! The WebGPU device for training, with the two workarounds burn 0.22's kernels need in
//! Chromium (measured in `shared/notes/browser-webgpu.md`):
//! 1. kernels that use subgroup builtins say `enable subgroups;`, but wgpu's web backend does not
//!    request the `subgroups` feature, so Chromium rejects them. The worker's `requestDevice` is
//!    wrapped to ask for `subgroups` whenever the adapter offers it.
//! 2. Chromium's uniformity analysis then rejects `subgroupAdd` in the matmul kernels; the
//!    worker's `createShaderModule` is wrapped to add `diagnostic(off, subgroup_uniformity);`.
//!
//! The wrappers also remember the adapter's description and watch for a lost device, which the
//! trainer checks after every step.

use burn::tensor::Device;
use js_sys::Reflect;
use wasm_bindgen::JsValue;

/// Installs the wrappers in the worker's global scope (once).
const WEBGPU_WORKAROUNDS: &str = r#"
if (typeof GPUAdapter !== 'undefined' && !self.__inklingWebGpuPatched) {
  self.__inklingWebGpuPatched = true;
  const requestDevice = GPUAdapter.prototype.requestDevice;
  GPUAdapter.prototype.requestDevice = function (descriptor) {
    const wanted = Object.assign({}, descriptor || {});
    const features = Array.from(wanted.requiredFeatures || []);
    if (this.features.has('subgroups') && !features.includes('subgroups')) features.push('subgroups');
    wanted.requiredFeatures = features;
    const info = this.info || {};
    self.__inklingAdapter = [info.vendor, info.architecture, info.description]
      .filter(Boolean).join(' ') || 'unnamed adapter';
    return requestDevice.call(this, wanted).then(function (device) {
      self.__inklingDevice = device;
      device.lost.then(function (lost) {
        if (lost.reason !== 'destroyed' || self.__inklingDestroyedOnPurpose) {
          self.__inklingDeviceLost = lost.message || 'the GPU device was lost';
        }
      });
      return device;
    });
  };
  const createShaderModule = GPUDevice.prototype.createShaderModule;
  GPUDevice.prototype.createShaderModule = function (descriptor) {
    if (descriptor && typeof descriptor.code === 'string'
        && descriptor.code.includes('enable subgroups;')
        && !descriptor.code.includes('subgroup_uniformity')) {
      descriptor = Object.assign({}, descriptor, {
        code: descriptor.code.replace('enable subgroups;',
          'enable subgroups;\ndiagnostic(off, subgroup_uniformity);'),
      });
    }
    return createShaderModule.call(this, descriptor);
  };
}
"#;

fn global(name: &str) -> JsValue {
    Reflect::get(&js_sys::global(), &name.into()).unwrap_or(JsValue::UNDEFINED)
}

/// Creates the WebGPU device burn trains on. Errors say why WebGPU cannot be used here.
pub async fn init() -> Result<(Device, String), String> {
    let navigator = global("navigator");
    let gpu = Reflect::get(&navigator, &"gpu".into()).unwrap_or(JsValue::UNDEFINED);
    if gpu.is_undefined() || gpu.is_null() {
        return Err("this browser has no WebGPU (navigator.gpu is missing)".into());
    }
    js_sys::Function::new_no_args(WEBGPU_WORKAROUNDS)
        .call0(&JsValue::UNDEFINED)
        .map_err(|e| format!("could not prepare WebGPU: {e:?}"))?;
    let device = Device::wgpu_options()
        .init_async()
        .await
        .map_err(|e| format!("no usable WebGPU device: {e}"))?;
    let adapter = global("__inklingAdapter")
        .as_string()
        .unwrap_or_else(|| "unknown adapter".into());
    Ok((device, adapter))
}

/// Destroys the training device, as a GPU reset would (an injected fault, `?fault=gpu-loss@N`).
pub fn destroy_device() {
    let destroy = js_sys::Function::new_no_args(
        "self.__inklingDestroyedOnPurpose = true; \
         if (self.__inklingDevice) self.__inklingDevice.destroy();",
    );
    if let Err(e) = destroy.call0(&JsValue::UNDEFINED) {
        web_sys::console::error_2(&"could not destroy the GPU device".into(), &e);
    }
}

/// Why the GPU device was lost, once it has been.
pub fn lost_reason() -> Option<String> {
    global("__inklingDeviceLost").as_string()
}
