//! The lessons' texts and settings. Each lesson trains on a few thousand images (a minute or
//! two on the CPU path) so that a class can run every variant in one sitting.

use super::{Lesson, Variant};
use crate::lang::Text;

/// Every lesson, in the order the page lists them.
pub static LESSONS: &[Lesson] = &[
    Lesson {
        name: "overfitting",
        title: Text {
            en: "Overfitting, and how to fight it",
            zh: "过拟合及其对策",
        },
        explanation: Text {
            en: "A network with 37,600 weights can memorise 500 images. Run A trains on 500 \
                 images for 30 epochs with nothing to stop it: the training loss keeps falling \
                 while the validation accuracy stops rising. Run B is the same run with dropout, \
                 weight decay and augmentation, which each make memorising harder.",
            zh: "一个有 37,600 个权重的网络可以记住 500 张图片。A 在 500 张图片上训练 30 轮，\
                 不加任何约束：训练损失一直下降，验证准确率却不再上升。B 是同样的训练，\
                 但加了 dropout、权重衰减和数据增强，它们都让死记硬背更难。",
        },
        look_for: Text {
            en: "The gap between the training loss and the validation loss as the epochs go by, \
                 and the two runs' validation accuracy side by side in the runs table.",
            zh: "随着轮数增加，训练损失与验证损失之间的差距；以及运行记录表中两次运行的验证准确率。",
        },
        variants: &[
            Variant {
                label: Text {
                    en: "A: 500 images, no regularisation",
                    zh: "A：500 张图片，不加正则化",
                },
                settings: &[
                    ("subset", "500"),
                    ("epochs", "30"),
                    ("augment", "off"),
                    ("dropout", "0"),
                    ("wd", "0"),
                    ("eval_every", "32"),
                ],
            },
            Variant {
                label: Text {
                    en: "B: the same with dropout, weight decay and augmentation",
                    zh: "B：同样的训练，加上 dropout、权重衰减和数据增强",
                },
                settings: &[
                    ("subset", "500"),
                    ("epochs", "30"),
                    ("augment", "on"),
                    ("dropout", "0.3"),
                    ("wd", "0.05"),
                    ("eval_every", "32"),
                ],
            },
        ],
    },
    Lesson {
        name: "batch-norm",
        title: Text {
            en: "Batch normalisation",
            zh: "批归一化",
        },
        explanation: Text {
            en: "Batch norm rescales each layer's outputs to zero mean and unit variance over the \
                 batch, then learns the best scale back. It keeps the signal a healthy size \
                 through all thirteen layers, so training tolerates larger steps. Run A has it; \
                 run B has none (its convolutions start at He's scale instead).",
            zh: "批归一化把每一层的输出在一个批次内调整为均值 0、方差 1，再学习合适的缩放。\
                 它让信号在全部十三层中保持合适的大小，因此训练可以使用更大的步长。\
                 A 使用批归一化；B 不使用（它的卷积改用 He 初始化）。",
        },
        look_for: Text {
            en: "How fast the loss falls in the first hundred steps, and the accuracy after one \
                 epoch. Then raise the learning rate in both and run them again.",
            zh: "前一百步里损失下降的快慢，以及一轮之后的准确率。然后把两者的学习率调高，再各训练一次。",
        },
        variants: &[
            Variant {
                label: Text {
                    en: "A: with batch norm",
                    zh: "A：使用批归一化",
                },
                settings: &[("subset", "4000"), ("bn", "on")],
            },
            Variant {
                label: Text {
                    en: "B: without batch norm",
                    zh: "B：不使用批归一化",
                },
                settings: &[("subset", "4000"), ("bn", "off")],
            },
        ],
    },
    Lesson {
        name: "dilation",
        title: Text {
            en: "Dilation: a wider view for free",
            zh: "空洞卷积：免费扩大感受野",
        },
        explanation: Text {
            en: "A dilated 3×3 kernel skips every other pixel, so it covers a 5×5 area with the \
                 same nine weights. Run A dilates every second block; run B does not. Both have \
                 the same number of parameters, but A's last layer sees a wider part of the image.",
            zh: "空洞 3×3 卷积核隔一个像素取一个，用同样的九个权重覆盖 5×5 的区域。\
                 A 每隔一个块使用空洞卷积；B 不使用。两者参数数量相同，但 A 最后一层看到的图像范围更大。",
        },
        look_for: Text {
            en: "The summary under the model settings (parameters and receptive field) for A and \
                 B, the accuracy after training, and in the Inside tab the pixels one unit \
                 sees.",
            zh: "模型设置下方的摘要（参数数量和感受野）、训练后的准确率，以及“Inside”标签页中一个单元看到的像素。",
        },
        variants: &[
            Variant {
                label: Text {
                    en: "A: dilation on",
                    zh: "A：使用空洞卷积",
                },
                settings: &[("subset", "4000"), ("dilation", "on")],
            },
            Variant {
                label: Text {
                    en: "B: dilation off",
                    zh: "B：不使用空洞卷积",
                },
                settings: &[("subset", "4000"), ("dilation", "off")],
            },
        ],
    },
    Lesson {
        name: "optimizers",
        title: Text {
            en: "SGD, Adam and AdamW",
            zh: "SGD、Adam 与 AdamW",
        },
        explanation: Text {
            en: "The optimiser turns gradients into steps. SGD with momentum moves every weight \
                 at one learning rate; Adam scales each weight's step by the size of its recent \
                 gradients; AdamW is Adam with weight decay kept apart from the gradients. Each \
                 run uses a learning rate usual for its optimiser.",
            zh: "优化器把梯度变成参数更新。带动量的 SGD 用同一个学习率更新所有权重；\
                 Adam 按每个权重近期梯度的大小调整它的步长；AdamW 是把权重衰减与梯度分开处理的 Adam。\
                 每次运行都使用适合该优化器的常用学习率。",
        },
        look_for: Text {
            en: "How quickly each loss falls, and where each accuracy ends after the same number \
                 of steps.",
            zh: "每条损失曲线下降的速度，以及相同步数之后各自的准确率。",
        },
        variants: &[
            Variant {
                label: Text {
                    en: "A: SGD with momentum",
                    zh: "A：带动量的 SGD",
                },
                settings: &[("subset", "4000"), ("optimizer", "sgd"), ("lr", "0.05")],
            },
            Variant {
                label: Text {
                    en: "B: Adam",
                    zh: "B：使用 Adam",
                },
                settings: &[("subset", "4000"), ("optimizer", "adam"), ("lr", "0.002")],
            },
            Variant {
                label: Text {
                    en: "C: AdamW",
                    zh: "C：使用 AdamW",
                },
                settings: &[
                    ("subset", "4000"),
                    ("optimizer", "adamw"),
                    ("lr", "0.002"),
                    ("wd", "0.01"),
                ],
            },
        ],
    },
    Lesson {
        name: "learning-rate",
        title: Text {
            en: "The learning rate: too high, too low",
            zh: "学习率：过高与过低",
        },
        explanation: Text {
            en: "The learning rate is the size of each step. Too high, and the loss jumps about \
                 or blows up; too low, and it hardly moves. The schedule is constant here, so the \
                 rate alone differs between the runs.",
            zh: "学习率决定每一步走多远。太高，损失会来回跳动甚至发散；太低，损失几乎不动。\
                 这里的学习率调度是常数，所以几次运行只有学习率不同。",
        },
        look_for: Text {
            en: "The loss curve of each run. Then press \"Find a learning rate\": the range test \
                 suggests a good rate from one short run.",
            zh: "每次运行的损失曲线。然后点击“寻找学习率”：学习率范围测试用一次短训练给出建议的学习率。",
        },
        variants: &[
            Variant {
                label: Text {
                    en: "A: too high (0.5)",
                    zh: "A：过高（0.5）",
                },
                settings: &[("subset", "4000"), ("schedule", "constant"), ("lr", "0.5")],
            },
            Variant {
                label: Text {
                    en: "B: too low (0.00002)",
                    zh: "B：过低（0.00002）",
                },
                settings: &[
                    ("subset", "4000"),
                    ("schedule", "constant"),
                    ("lr", "0.00002"),
                ],
            },
            Variant {
                label: Text {
                    en: "C: about right (0.002)",
                    zh: "C：合适（0.002）",
                },
                settings: &[
                    ("subset", "4000"),
                    ("schedule", "constant"),
                    ("lr", "0.002"),
                ],
            },
        ],
    },
    Lesson {
        name: "fine-tuning",
        title: Text {
            en: "Fine-tuning: the head or every layer",
            zh: "微调：只训练头部，还是训练所有层",
        },
        explanation: Text {
            en: "Both runs start from the network trained on MNIST digits and teach it the \
                 clothes of Fashion-MNIST. Run A freezes the base and trains only the head, the \
                 last linear layer (1,290 weights); run B trains every layer from the same start.",
            zh: "两次运行都从在 MNIST 手写数字上训练好的网络出发，让它学习 Fashion-MNIST 的服装图片。\
                 A 冻结主干，只训练头部，即最后的线性层（1,290 个权重）；B 从同样的起点训练所有层。",
        },
        look_for: Text {
            en: "Which run reaches the higher accuracy after one epoch, and how much less time \
                 each of A's steps takes.",
            zh: "一轮之后哪次运行的准确率更高，以及 A 的每一步少用了多少时间。",
        },
        variants: &[
            Variant {
                label: Text {
                    en: "A: the head only",
                    zh: "A：只训练头部",
                },
                settings: &[
                    ("dataset", "fashion-mnist"),
                    ("subset", "4000"),
                    ("finetune", "on"),
                    ("layers", "head"),
                ],
            },
            Variant {
                label: Text {
                    en: "B: every layer",
                    zh: "B：训练所有层",
                },
                settings: &[
                    ("dataset", "fashion-mnist"),
                    ("subset", "4000"),
                    ("finetune", "on"),
                    ("layers", "all"),
                ],
            },
        ],
    },
    Lesson {
        name: "residual",
        title: Text {
            en: "Residual connections",
            zh: "残差连接",
        },
        explanation: Text {
            en: "A residual block adds its input to its output, so it only has to learn a \
                 correction, and gradients reach the first layers through the shortcuts. The \
                 difference grows with depth: both runs have twelve blocks and no batch norm, \
                 and only run B has shortcuts.",
            zh: "残差块把输入直接加到输出上，于是它只需要学习一个修正量，梯度也能通过捷径传到最前面的层。\
                 网络越深，差别越明显：两次运行都有十二个块、都不使用批归一化，只有 B 有捷径连接。",
        },
        look_for: Text {
            en: "How soon each loss starts to fall, and the accuracy after one epoch.",
            zh: "每条损失曲线多快开始下降，以及一轮之后的准确率。",
        },
        variants: &[
            Variant {
                label: Text {
                    en: "A: twelve blocks, no shortcuts",
                    zh: "A：十二个块，没有捷径连接",
                },
                settings: &[
                    ("subset", "4000"),
                    ("depth", "4"),
                    ("bn", "off"),
                    ("residual", "off"),
                ],
            },
            Variant {
                label: Text {
                    en: "B: twelve blocks with shortcuts",
                    zh: "B：十二个块，有捷径连接",
                },
                settings: &[
                    ("subset", "4000"),
                    ("depth", "4"),
                    ("bn", "off"),
                    ("residual", "on"),
                ],
            },
        ],
    },
];
