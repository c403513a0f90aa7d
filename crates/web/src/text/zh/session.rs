use crate::text::SessionTexts;

pub(super) const SESSION: SessionTexts = SessionTexts {
    panel_label: "训练",
    heading: "在浏览器中训练神经网络",

    pretrained_model: "预训练模型",
    moved_by_request: "已按要求改到 {device} 上训练，从第 {step} 步的权重继续。",
    save_failed: "无法保存 {format}：{error}",
    format_inkling: "Inkling 模型文件",
    format_safetensors: "SafeTensors 文件（PyTorch 命名）",

    crash_gave_up: "训练器停止了：{message}。它已停止 {count} 次且没有任何进展，因此不再重启；\
        {kept}。",
    crash_nothing_kept: "还没有保存任何权重",
    crash_weights_kept: "第 {step} 步的权重已保留（可以下载，或重新开始）",
    crash_restarted: "训练器停止了：{message}。新的训练器将{resumed}继续训练。",
    gpu_failed: "无法使用 WebGPU：{reason}。训练将{resumed}在 CPU 上继续。",
    from_start: "从头",
    from_last_snapshot: "从上一个快照（第 {step} 步）",
    from_last_good_weights: "从上一次正常的权重（第 {step} 步）",

    worker_refused: "浏览器拒绝启动训练器：{error}",
    worker_not_loaded: "无法加载训练器（网站文件是否完整？）",
    worker_trapped: "它的 WebAssembly 停止运行（{message}），可能是内存不足",
    worker_unreachable: "无法与训练器通信：{error}",

    summary: "{model}，数据集 {dataset}，优化器 {optimizer}，学习率 {rate}，批大小 {batch}，\
        {epochs}",
    summary_one_epoch: "1 轮",
    summary_epochs: "{n} 轮",
    summary_subset: "，只用 {n} 张图像",
    summary_from_pretrained: "，从预训练模型开始（{mode}）",
    mode_all: "全部层",
    mode_head: "仅分类头",
    mode_head_reinit: "仅重新初始化的分类头",
    mode_gradual: "逐步解冻",

    range_test_button: "寻找学习率（范围测试，{steps} 步）",
    range_test_hint: "训练上面的网络，同时让学习率从 1e-6 增大到 10；合适的峰值学习率约为损失\
        最低处学习率的十分之一。",
    range_test_chart_title: "损失随学习率的变化",
    range_test_x_label: "学习率",
    range_test_loss: "损失",
    range_test_smoothed: "平滑后",
    range_test_no_fall: "损失始终没有下降：在试过的所有学习率下，网络都没有学到东西。请检查\
        其他设置（权重衰减是否过大？）。",
    range_test_result: "平滑后的最低损失为 {loss}，出现在学习率 {lowest_rate} 处：建议的峰值\
        学习率为 {rate}。 ",
    range_test_use: "使用 {rate}",

    mismatch: "预训练模型是 {pretrained}。表单描述的是 {form}。微调需要相同的网络。",
    trained_head: "，其中 {head} 个参与训练（分类头）",
    trained_gradual: "，前 {steps} 步只训练其中 {head} 个，之后全部训练",
    fine_tune_label: "从预训练模型开始（微调）",
    layers_label: "参与训练的层",
    unfreeze_after_label: "只训练分类头的步数",
    base_lr_factor_label: "主干学习率系数",
    adopt_network: "使用预训练模型的网络",
};
