//! The trainer loop: hands the page's commands to the run ([`inkling_train::Session`], the state
//! machine shared with the native tests) between optimiser steps, and prepares what a start
//! needs here in the browser: the datasets (downloaded once per worker) and the WebGPU device.

use crate::messages::{Incoming, next_command, post, scope};
use crate::{data, gpu, set_computing_on};
use burn::tensor::Device;
use inkling_data::{Dataset, DatasetKind};
use inkling_train::session::{Failure, Host, StartRequest};
use inkling_train::{Attachment, Command, Compute, Fault, FaultKind, Report, Session, TrainError};
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// The page, reached through `postMessage`; the worker's clock; the GPU's health.
struct Page;

impl Host for Page {
    fn report(&mut self, report: Report, attachment: Option<Attachment>) {
        post(&report, attachment.as_ref());
    }

    fn now_ms(&self) -> f64 {
        scope().performance().map_or(0.0, |p| p.now())
    }

    fn device_lost(&self) -> Option<String> {
        gpu::lost_reason()
    }
}

/// Data and devices kept between runs of this worker.
#[derive(Default)]
struct Loaded {
    datasets: Option<(DatasetKind, Rc<Dataset>, Rc<Dataset>)>,
    webgpu: Option<(Device, String)>,
}

/// Runs until the page terminates the worker.
pub async fn run() {
    let mut page = Page;
    let mut loaded = Loaded::default();
    let mut current: Option<Session> = None;
    let mut fault: Option<Fault> = None;
    loop {
        while let Some(Incoming {
            command,
            attachment,
        }) = next_command()
        {
            if let Command::Start {
                fault: injected, ..
            } = command
            {
                // The run in progress ends (and frees its memory) before the new one is set up.
                drop(current.take());
                fault = injected;
                set_computing_on(None);
                current = start(command, attachment.as_ref(), &mut loaded, &mut page).await;
                continue;
            }
            match current.as_mut() {
                Some(session) => session.control(command, &mut page).await,
                None => page.report(
                    Report::Failed {
                        message: "there is no run to control: start one first".into(),
                    },
                    None,
                ),
            }
        }
        match current.as_mut() {
            Some(session) if session.wants_step() => {
                session.step(&mut page).await;
                if let Some(due) = fault.filter(|f| session.trainer().steps_done() >= f.at_step) {
                    fault = None;
                    inject(due.kind);
                }
                // Let the page's next command in before the next step.
                sleep(0).await;
            }
            _ => sleep(15).await,
        }
    }
}

/// Makes `kind` happen, for real: the page must notice and recover on its own.
fn inject(kind: FaultKind) {
    match kind {
        FaultKind::GpuLoss => gpu::destroy_device(),
        // A trap, not a panic (no panic hook runs): the worker dies without a word, as a bug
        // that aborts does. The page sees only the worker's error event.
        FaultKind::WorkerCrash | FaultKind::WorkerCrashes => std::process::abort(),
        // Real allocations, kept, until one is refused (wasm32 memory ends at 4 GiB, or the
        // browser refuses sooner): the allocator reports it and the worker stops.
        FaultKind::OutOfMemory => {
            let mut kept: Vec<Vec<u8>> = Vec::new();
            loop {
                kept.push(vec![0; 256 << 20]);
                std::hint::black_box(&kept);
            }
        }
    }
}

/// Prepares and starts the run `command` asks for; a failure is reported and gives no run.
async fn start(
    command: Command,
    attachment: Option<&Attachment>,
    loaded: &mut Loaded,
    page: &mut Page,
) -> Option<Session> {
    let Command::Start {
        run,
        compute,
        eval_every,
        eval_size,
        start,
        own_digits,
        early_stop_patience,
        lr_range,
        ..
    } = command
    else {
        return None;
    };
    let prepared = async {
        run.validate().map_err(TrainError::InvalidConfig)?;
        let (full_train, test) = datasets(run.dataset, loaded).await?;
        let (device, adapter) = device(compute, loaded).await?;
        set_computing_on(Some(compute));
        let request = StartRequest {
            config: *run,
            compute,
            adapter,
            eval_every,
            eval_size,
            start,
            attachment,
            full_train: &full_train,
            own_digits: own_digits.map(|own| *own),
            test,
            device,
            early_stop_patience,
            lr_range: lr_range.map(|plan| *plan),
        };
        Session::start(request, page)
    }
    .await;
    match prepared {
        Ok(session) => Some(session),
        Err(failure) => {
            failure.report(page);
            None
        }
    }
}

/// The training and test splits of `kind`, downloaded (or read from the browser's cache) the
/// first time and kept for the worker's later runs.
async fn datasets(
    kind: DatasetKind,
    loaded: &mut Loaded,
) -> Result<(Rc<Dataset>, Rc<Dataset>), Failure> {
    if let Some((loaded_kind, train, test)) = &loaded.datasets
        && *loaded_kind == kind
    {
        return Ok((train.clone(), test.clone()));
    }
    let (train, test) = data::load(kind).await.map_err(TrainError::Device)?;
    let (train, test) = (Rc::new(train), Rc::new(test));
    loaded.datasets = Some((kind, train.clone(), test.clone()));
    Ok((train, test))
}

/// The device to train on and its description; the WebGPU device is created once per worker.
async fn device(compute: Compute, loaded: &mut Loaded) -> Result<(Device, String), Failure> {
    match compute {
        Compute::Cpu => Ok((Device::flex(), "WebAssembly SIMD".to_string())),
        Compute::WebGpu => {
            // A panic while the device is created must move the run to the CPU too.
            set_computing_on(Some(Compute::WebGpu));
            if loaded.webgpu.is_none() {
                loaded.webgpu = Some(gpu::init().await.map_err(Failure::Gpu)?);
            }
            Ok(loaded.webgpu.clone().expect("initialised above"))
        }
    }
}

/// Resolves after `ms` milliseconds, letting queued messages run.
async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = scope()
            .set_timeout_with_callback_and_timeout_and_arguments_0(resolve.unchecked_ref(), ms);
    });
    let _ = JsFuture::from(promise).await;
}
