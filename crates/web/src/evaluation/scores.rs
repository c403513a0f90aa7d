//! What the evaluation says in figures: overall accuracy and macro F1, and each class's
//! precision, recall, F1 and number of test images.

use crate::format::group_thousands;
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
    let confusion = &props.confusion;
    let total = confusion.total() as usize;
    html! {
        <div class="eval-scores">
            <p id="eval-accuracy" class="eval-accuracy" data-correct={confusion.correct().to_string()}
                data-total={total.to_string()}>
                { format!(
                    "{:.2} % right: {} of {} test images · macro F1 {:.4}",
                    confusion.accuracy() * 100.0,
                    group_thousands(confusion.correct() as usize),
                    group_thousands(total),
                    confusion.macro_f1()
                ) }
            </p>
            <table id="class-scores" class="class-scores">
                <caption>{ "Per class: precision (of the images read as it, how many are), recall \
                    (of its images, how many were read as it) and F1" }</caption>
                <tr>
                    <th scope="col">{ "class" }</th><th scope="col">{ "precision" }</th>
                    <th scope="col">{ "recall" }</th><th scope="col">{ "F1" }</th>
                    <th scope="col">{ "images" }</th>
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
