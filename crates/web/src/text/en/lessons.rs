use crate::text::LessonsTexts;

pub(super) const LESSONS: LessonsTexts = LessonsTexts {
    lesson_label: "Lesson",
    no_lesson: "None: my own settings",
    look_for_label: "Look for: ",
    set_up_hint: "Set the form to one run, start it, then set up the next:",
    unknown_lesson: "there is no lesson \"{name}\"; the lessons are {lessons}",
    overfitting_title: "Overfitting, and how to fight it",
    overfitting_explanation: "A network with 37,600 weights can memorise 500 images. Run A trains on 500 \
         images for 30 epochs with nothing to stop it: the training loss keeps falling \
         while the validation accuracy stops rising. Run B is the same run with dropout, \
         weight decay and augmentation, which each make memorising harder.",
    overfitting_look_for: "The gap between the training loss and the validation loss as the epochs go by, \
         and the two runs' validation accuracy side by side in the runs table.",
    overfitting_a: "A: 500 images, no regularisation",
    overfitting_b: "B: the same with dropout, weight decay and augmentation",
    batch_norm_title: "Batch normalisation",
    batch_norm_explanation: "Batch norm rescales each layer's outputs to zero mean and unit variance over the \
         batch, then learns the best scale back. It keeps the signal a healthy size \
         through all thirteen layers, so training tolerates larger steps. Run A has it; \
         run B has none (its convolutions start at He's scale instead).",
    batch_norm_look_for: "How fast the loss falls in the first hundred steps, and the accuracy after one \
         epoch. Then raise the learning rate in both and run them again.",
    batch_norm_a: "A: with batch norm",
    batch_norm_b: "B: without batch norm",
    dilation_title: "Dilation: a wider view for free",
    dilation_explanation: "A dilated 3×3 kernel skips every other pixel, so it covers a 5×5 area with the \
         same nine weights. Run A dilates every second block; run B does not. Both have \
         the same number of parameters, but A's last layer sees a wider part of the image.",
    dilation_look_for: "The summary under the model settings (parameters and receptive field) for A and \
         B, the accuracy after training, and in the Inside tab the pixels one unit \
         sees.",
    dilation_a: "A: dilation on",
    dilation_b: "B: dilation off",
    optimizers_title: "SGD, Adam and AdamW",
    optimizers_explanation: "The optimiser turns gradients into steps. SGD with momentum moves every weight \
         at one learning rate; Adam scales each weight's step by the size of its recent \
         gradients; AdamW is Adam with weight decay kept apart from the gradients. Each \
         run uses a learning rate usual for its optimiser.",
    optimizers_look_for: "How quickly each loss falls, and where each accuracy ends after the same number \
         of steps.",
    optimizers_a: "A: SGD with momentum",
    optimizers_b: "B: Adam",
    optimizers_c: "C: AdamW",
    learning_rate_title: "The learning rate: too high, too low",
    learning_rate_explanation: "The learning rate is the size of each step. Too high, and the loss jumps about \
         or blows up; too low, and it hardly moves. The schedule is constant here, so the \
         rate alone differs between the runs.",
    learning_rate_look_for: "The loss curve of each run. Then press \"Find a learning rate\": the range test \
         suggests a good rate from one short run.",
    learning_rate_a: "A: too high (0.5)",
    learning_rate_b: "B: too low (0.00002)",
    learning_rate_c: "C: about right (0.002)",
    fine_tuning_title: "Fine-tuning: the head or every layer",
    fine_tuning_explanation: "Both runs start from the network trained on MNIST digits and teach it the \
         clothes of Fashion-MNIST. Run A freezes the base and trains only the head, the \
         last linear layer (1,290 weights); run B trains every layer from the same start.",
    fine_tuning_look_for: "Which run reaches the higher accuracy after one epoch, and how much less time \
         each of A's steps takes.",
    fine_tuning_a: "A: the head only",
    fine_tuning_b: "B: every layer",
    residual_title: "Residual connections",
    residual_explanation: "A residual block adds its input to its output, so it only has to learn a \
         correction, and gradients reach the first layers through the shortcuts. The \
         difference grows with depth: both runs have twelve blocks and no batch norm, \
         and only run B has shortcuts.",
    residual_look_for: "How soon each loss starts to fall, and the accuracy after one epoch.",
    residual_a: "A: twelve blocks, no shortcuts",
    residual_b: "B: twelve blocks with shortcuts",
};
