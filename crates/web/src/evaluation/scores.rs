//! What the evaluation says in figures: overall accuracy and macro F1, and each class's
//! precision, recall, F1 and number of test images.

use crate::format::group_thousands;
use crate::text::{fill, use_texts};
use inkling_train::ConfusionMatrix;
use yew::prelude::*;

/// Properties of [`ClassScores`].
#[derive(Properties, PartialEq)]
pub struct ClassScoresProps {
    /// The counts the scores come from.
    pub confusion: ConfusionMatrix,
    /// Name of each class.
    pub names: Vec<String>,
}

/// The accuracy line and the per-class table.
#[component]
pub fn ClassScores(props: &ClassScoresProps) -> Html {
    let t = use_texts();
    let confusion = &props.confusion;
    let total = confusion.total() as usize;
    html! {
        <div class="eval-scores">
            <p id="eval-accuracy" class="eval-accuracy" data-correct={confusion.correct().to_string()}
                data-total={total.to_string()}>
                { fill(
                    t.evaluation.accuracy_line,
                    &[
                        ("accuracy", &format!("{:.2}", confusion.accuracy() * 100.0)),
                        ("correct", &group_thousands(confusion.correct() as usize)),
                        ("total", &group_thousands(total)),
                        ("f1", &format!("{:.4}", confusion.macro_f1())),
                    ],
                ) }
            </p>
            <table id="class-scores" class="class-scores">
                <caption>{ t.evaluation.scores_caption }</caption>
                <tr>
                    <th scope="col">{ t.evaluation.class_column }</th>
                    <th scope="col">{ t.evaluation.precision_column }</th>
                    <th scope="col">{ t.evaluation.recall_column }</th>
                    <th scope="col">{ t.evaluation.f1_column }</th>
                    <th scope="col">{ t.evaluation.images_column }</th>
                </tr>
                { for confusion.class_scores().iter().zip(&props.names).map(|(s, name)| html! {
                    <tr>
                        <th scope="row">{ name }</th>
                        <td>{ format!("{:.3}", s.precision) }</td>
                        <td>{ format!("{:.3}", s.recall) }</td>
                        <td>{ format!("{:.3}", s.f1) }</td>
                        <td>{ group_thousands(s.support as usize) }</td>
                    </tr>
                }) }
            </table>
        </div>
    }
}
