use crate::text::LessonsTexts;

pub(super) const LESSONS: LessonsTexts = LessonsTexts {
    lesson_label: "课程",
    no_lesson: "无：使用我自己的设置",
    look_for_label: "观察要点：",
    set_up_hint: "把表单设为其中一次运行，开始训练，然后再设置下一次：",
    unknown_lesson: "没有名为“{name}”的课程；可用的课程有：{lessons}",
    overfitting_title: "过拟合及其对策",
    overfitting_explanation: "一个有 37,600 个权重的网络可以记住 500 张图片。A 在 500 张图片上训练 30 轮，\
         不加任何约束：训练损失一直下降，验证准确率却不再上升。B 是同样的训练，\
         但加了 dropout、权重衰减和数据增强，它们都让死记硬背更难。",
    overfitting_look_for: "随着轮数增加，训练损失与验证损失之间的差距；以及运行记录表中两次运行的验证准确率。",
    overfitting_a: "A：500 张图片，不加正则化",
    overfitting_b: "B：同样的训练，加上 dropout、权重衰减和数据增强",
    batch_norm_title: "批归一化",
    batch_norm_explanation: "批归一化把每一层的输出在一个批次内调整为均值 0、方差 1，再学习合适的缩放。\
         它让信号在全部十三层中保持合适的大小，因此训练可以使用更大的步长。\
         A 使用批归一化；B 不使用（它的卷积改用 He 初始化）。",
    batch_norm_look_for: "前一百步里损失下降的快慢，以及一轮之后的准确率。然后把两者的学习率调高，再各训练一次。",
    batch_norm_a: "A：使用批归一化",
    batch_norm_b: "B：不使用批归一化",
    dilation_title: "空洞卷积：免费扩大感受野",
    dilation_explanation: "空洞 3×3 卷积核隔一个像素取一个，用同样的九个权重覆盖 5×5 的区域。\
         A 每隔一个块使用空洞卷积；B 不使用。两者参数数量相同，但 A 最后一层看到的图像范围更大。",
    dilation_look_for: "模型设置下方的摘要（参数数量和感受野）、训练后的准确率，以及“网络内部”标签页中一个单元看到的像素。",
    dilation_a: "A：使用空洞卷积",
    dilation_b: "B：不使用空洞卷积",
    optimizers_title: "SGD、Adam 与 AdamW",
    optimizers_explanation: "优化器把梯度变成参数更新。带动量的 SGD 用同一个学习率更新所有权重；\
         Adam 按每个权重近期梯度的大小调整它的步长；AdamW 是把权重衰减与梯度分开处理的 Adam。\
         每次运行都使用适合该优化器的常用学习率。",
    optimizers_look_for: "每条损失曲线下降的速度，以及相同步数之后各自的准确率。",
    optimizers_a: "A：带动量的 SGD",
    optimizers_b: "B：使用 Adam",
    optimizers_c: "C：使用 AdamW",
    learning_rate_title: "学习率：过高与过低",
    learning_rate_explanation: "学习率决定每一步走多远。太高，损失会来回跳动甚至发散；太低，损失几乎不动。\
         这里的学习率调度是常数，所以几次运行只有学习率不同。",
    learning_rate_look_for: "每次运行的损失曲线。然后点击“寻找学习率”：学习率范围测试用一次短训练给出建议的学习率。",
    learning_rate_a: "A：过高（0.5）",
    learning_rate_b: "B：过低（0.00002）",
    learning_rate_c: "C：合适（0.002）",
    fine_tuning_title: "微调：只训练头部，还是训练所有层",
    fine_tuning_explanation: "两次运行都从在 MNIST 手写数字上训练好的网络出发，让它学习 Fashion-MNIST 的服装图片。\
         A 冻结主干，只训练头部，即最后的线性层（1,290 个权重）；B 从同样的起点训练所有层。",
    fine_tuning_look_for: "一轮之后哪次运行的准确率更高，以及 A 的每一步少用了多少时间。",
    fine_tuning_a: "A：只训练头部",
    fine_tuning_b: "B：训练所有层",
    residual_title: "残差连接",
    residual_explanation: "残差块把输入直接加到输出上，于是它只需要学习一个修正量，梯度也能通过捷径传到最前面的层。\
         网络越深，差别越明显：两次运行都有十二个块、都不使用批归一化，只有 B 有捷径连接。",
    residual_look_for: "每条损失曲线多快开始下降，以及一轮之后的准确率。",
    residual_a: "A：十二个块，没有捷径连接",
    residual_b: "B：十二个块，有捷径连接",
};
