//! The keys of the app group.

texts! {
    /// The page around the views: header, tabs, footer, model state and errors.
    AppTexts {
        /// Under the page's title.
        tagline,
        /// The footer while the model loads.
        model_loading,
        /// The tab list's accessible name (`aria-label`).
        tabs_label,
        /// The tab of the drawing alone.
        tab_draw,
        /// The tab of the training view.
        tab_train,
        /// The tab of the view inside the network.
        tab_inside,
        /// The tab of the test set's mistakes (the evaluation view).
        tab_mistakes,
        /// The tab of the handwriting view.
        tab_handwriting,
        /// The tab of the model library.
        tab_library,
        /// Error under the pad when a training run's snapshot cannot be decoded; `{error}`: the
        /// model file's own message.
        training_weights_unusable,
        /// The footer's model line once the model is ready and its file has no test accuracy;
        /// `{network}`: the network's family (`DSD net`), `{parameters}`: its parameter count.
        model_ready,
        /// The footer's model line once the model is ready, with its test accuracy;
        /// `{network}`, `{parameters}` as in `model_ready`, `{accuracy}`: percent with two
        /// decimals, `{dataset}`: `MNIST` or `Fashion-MNIST`.
        model_ready_tested,
        /// The button after a failed model download that fetches it again.
        retry,
        /// The footer's line on the model the pad reads with; `{origin}`: where it came from
        /// (`draw.origin_*`), `{weights}`: `int8` or `f32`, `{size}`: its file's size.
        reading_with,
        /// The footer's WebGPU line while the browser is asked.
        webgpu_checking,
        /// The footer's WebGPU line when an adapter was granted.
        webgpu_available,
        /// The footer's WebGPU line when there is none; `{reason}`: one of `webgpu_no_*`,
        /// `webgpu_unreadable`, `webgpu_missing` or `webgpu_request_failed`.
        webgpu_unavailable,
        /// Why no WebGPU: the browser granted no adapter.
        webgpu_no_adapter,
        /// Why no WebGPU: the page has no `window`.
        webgpu_no_window,
        /// Why no WebGPU: `navigator.gpu` cannot be read.
        webgpu_unreadable,
        /// Why no WebGPU: the browser has no `navigator.gpu`.
        webgpu_missing,
        /// Why no WebGPU: `navigator.gpu.requestAdapter` is missing.
        webgpu_no_request_adapter,
        /// Why no WebGPU: asking for an adapter failed; `{error}`: the browser's error.
        webgpu_request_failed,
        /// Why no WebGPU: `requestAdapter` returned no promise.
        webgpu_no_promise,
        /// The footer's line on the last reading's time; `{ms}`: milliseconds, one decimal.
        read_time,
        /// A download from the site failed; `{what}`: what was downloaded (`draw.the_model`,
        /// "the test set"...), `{url}`: its address, `{detail}`: the browser's error or the
        /// HTTP status.
        download_failed,
        /// The browser's storage cannot be opened; `{error}`: IndexedDB's error.
        storage_unavailable,
        /// Records in the browser's storage cannot be read; `{what}`: which ("your digits",
        /// "the library"), `{error}`: IndexedDB's error.
        storage_read_failed,
        /// A record in the browser's storage cannot be changed; `{what}`: which ("the digit"),
        /// `{error}`: IndexedDB's error.
        storage_change_failed,
        /// A record to change is gone from the browser's storage; `{what}`: which.
        storage_gone,
        /// A record in the browser's storage cannot be deleted; `{what}`: which, `{error}`:
        /// IndexedDB's error.
        storage_delete_failed,
        /// The detail of a storage error when the browser aborted the transaction (a full
        /// disk, say).
        storage_aborted,
        /// Something read from the browser's storage is not a record; `{what}`: which.
        storage_not_a_record,
        /// The browser cannot gzip (no `CompressionStream`).
        no_compression_stream,
        /// The box shown when the page stops on a panic; `{message}`: the panic's message.
        fatal,
        /// A size under a kilobyte; `{bytes}`: the number of bytes.
        size_bytes,
        /// A duration of a minute or more; `{minutes}` and `{seconds}`: whole numbers.
        duration_minutes,
        /// A duration under a minute; `{seconds}`: a whole number.
        duration_seconds,
        /// The network family of a depthwise-separable dilated net (footer, runs).
        family_dsd,
        /// The network family of a plain convolutional net.
        family_cnn,
        /// The network family of a multilayer perceptron.
        family_mlp,
    }
}
