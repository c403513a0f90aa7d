//! The runs table: one row per run, the settings that differ from the first run's highlighted
//! (or every setting, when asked), the final figures, a checkbox that puts the run on the
//! overlay charts and a button that forgets it.

use super::store::StoredRun;
use crate::format::group_thousands;
use crate::text::{Texts, fill, use_texts};
use inkling_train::runs::RunsTable;
use std::rc::Rc;
use yew::prelude::*;

/// The name the page shows for the setting `name` (the name records and the CSV keep); a name
/// from another version of the page is shown as it is.
fn setting_name(t: &Texts, name: &str) -> String {
    let r = &t.runs;
    match name {
        "dataset" => r.setting_dataset,
        "network" => r.setting_network,
        "dilation" => r.setting_dilation,
        "batch norm" => r.setting_batch_norm,
        "residual" => r.setting_residual,
        "dropout" => r.setting_dropout,
        "start" => r.setting_start,
        "optimiser" => r.setting_optimiser,
        "learning rate" => r.setting_learning_rate,
        "schedule" => r.setting_schedule,
        "weight decay" => r.setting_weight_decay,
        "batch size" => r.setting_batch_size,
        "epochs" => r.setting_epochs,
        "training images" => r.setting_training_images,
        "augmentation" => r.setting_augmentation,
        "label smoothing" => r.setting_label_smoothing,
        "gradient clip" => r.setting_gradient_clip,
        "seed" => r.setting_seed,
        other => other,
    }
    .to_string()
}

/// The value `value` of setting `name` as the page shows it: the words the records keep in
/// English (`on`, `fresh weights`, `cosine + 100 warm-up steps`…) in the language of `t`;
/// numbers, names and anything unknown as they are.
fn setting_value(t: &Texts, name: &str, value: &str) -> String {
    let r = &t.runs;
    let schedule = |shape: &str| match shape {
        "one-cycle" => Some(r.schedule_one_cycle),
        "cosine" => Some(r.schedule_cosine),
        "constant" => Some(r.schedule_constant),
        "step" => Some(r.schedule_step),
        "exponential" => Some(r.schedule_exponential),
        _ => None,
    };
    let augment = |kind: &str| match kind {
        "rotate" => Some(r.augment_rotate),
        "shift" => Some(r.augment_shift),
        "scale" => Some(r.augment_scale),
        _ => None,
    };
    let words = match value {
        "on" => Some(r.value_on.to_string()),
        "off" => Some(r.value_off.to_string()),
        "none" => Some(r.value_none.to_string()),
        "all" if name == "training images" => Some(r.value_all.to_string()),
        "fresh weights" => Some(r.value_fresh_weights.to_string()),
        _ => match name {
            "start" => value
                .strip_prefix("pretrained (")
                .and_then(|rest| rest.strip_suffix(')'))
                .map(|mode| fill(r.value_pretrained, &[("mode", &mode)])),
            "network" => network_value(t, value),
            "schedule" => {
                let (shape, warmup) = match value.split_once(" + ") {
                    Some((shape, rest)) => (shape, Some(rest.strip_suffix(" warm-up steps"))),
                    None => (value, None),
                };
                match (schedule(shape), warmup) {
                    (Some(shape), None) => Some(shape.to_string()),
                    (Some(shape), Some(Some(steps))) => Some(fill(
                        r.value_warmup,
                        &[("schedule", &shape), ("steps", &steps)],
                    )),
                    _ => None,
                }
            }
            "augmentation" => value
                .split(' ')
                .map(augment)
                .collect::<Option<Vec<_>>>()
                .map(|kinds| kinds.join(" ")),
            _ => None,
        },
    };
    words.unwrap_or_else(|| value.to_string())
}

/// The network setting's value (`DSD net, stem 16, blocks 24 32`) in the language of `t`.
fn network_value(t: &Texts, value: &str) -> Option<String> {
    let r = &t.runs;
    if let Some(rest) = value.strip_prefix("DSD net, stem ") {
        let (stem, blocks) = rest.split_once(", blocks ")?;
        Some(fill(
            r.value_network_dsd,
            &[("stem", &stem), ("blocks", &blocks)],
        ))
    } else if let Some(rest) = value.strip_prefix("CNN, convolutions ") {
        let (convolutions, hidden) = rest.split_once(", hidden ")?;
        Some(fill(
            r.value_network_cnn,
            &[("convolutions", &convolutions), ("hidden", &hidden)],
        ))
    } else {
        let hidden = value.strip_prefix("MLP, hidden ")?;
        Some(fill(r.value_network_mlp, &[("hidden", &hidden)]))
    }
}

/// Properties of [`RunsTableView`].
#[derive(Properties, PartialEq)]
pub struct RunsTableProps {
    /// The runs, oldest first.
    pub runs: Rc<Vec<StoredRun>>,
    /// Keys of the runs on the charts.
    pub shown: Rc<Vec<u32>>,
    /// Every setting, not only those that differ.
    pub all_settings: bool,
    /// A run's checkbox changed.
    pub on_toggle: Callback<u32>,
    /// Forget a run.
    pub on_delete: Callback<u32>,
}

/// The table.
#[component]
pub fn RunsTableView(props: &RunsTableProps) -> Html {
    let t = use_texts();
    let records: Vec<_> = props.runs.iter().map(|r| r.record.clone()).collect();
    let table = RunsTable::new(&records);
    let columns = table.shown_columns(props.all_settings);
    let percent = |a: Option<f64>| a.map_or("—".to_string(), |a| format!("{:.2} %", a * 100.0));
    let head = columns.iter().map(|&i| {
        let column = &table.columns[i];
        html! {
            <th scope="col" class={classes!(column.differs.then_some("differs"))}
                data-setting={column.name.clone()}>{ setting_name(t, &column.name) }</th>
        }
    });
    let rows = table.rows.iter().zip(props.runs.iter()).map(|(row, run)| {
        let id = run.id;
        let name = fill(t.runs.run_name, &[("id", &id)]);
        let toggle = props.on_toggle.reform(move |_: Event| id);
        let delete = props.on_delete.reform(move |_: MouseEvent| id);
        let cells = columns.iter().map(|&i| {
            let (value, differs) = &row.settings[i];
            html! {
                <td class={classes!(differs.then_some("differs"))}
                    data-setting={table.columns[i].name.clone()}>
                    { setting_value(t, &table.columns[i].name, value) }
                </td>
            }
        });
        html! {
            <tr data-run={id.to_string()}>
                <td>
                    <input type="checkbox" class="overlay" checked={props.shown.contains(&id)}
                        onchange={toggle} aria-label={fill(t.runs.show_on_charts, &[("run", &name)])} />
                </td>
                <th scope="row">{ &name }</th>
                { for cells }
                <td>{ row.compute.clone() }</td>
                <td>{ group_thousands(row.steps) }</td>
                <td>{ format!("{:.1} s", row.seconds) }</td>
                <td>{ group_thousands(row.parameters) }</td>
                <td class="validation" data-accuracy={row.validation_accuracy.map(|a| a.to_string()).unwrap_or_default()}>
                    { percent(row.validation_accuracy) }
                </td>
                <td class="test" data-accuracy={row.test_accuracy.map(|a| a.to_string()).unwrap_or_default()}>
                    { percent(row.test_accuracy) }
                </td>
                <td>
                    <button class="delete" onclick={delete}
                        aria-label={fill(t.runs.forget_run, &[("run", &name)])}>{ "×" }</button>
                </td>
            </tr>
        }
    });
    html! {
        <div class="table-scroll">
            <table id="runs-table" data-runs={table.rows.len().to_string()}
                data-differing={table.differing().join(",")}>
                <thead>
                    <tr>
                        <th scope="col">
                            <span class="visually-hidden">{ t.runs.on_the_charts_column }</span>
                        </th>
                        <th scope="col">{ t.runs.run_column }</th>
                        { for head }
                        <th scope="col">{ t.runs.device_column }</th>
                        <th scope="col">{ t.runs.steps_column }</th>
                        <th scope="col">{ t.runs.time_column }</th>
                        <th scope="col">{ t.runs.parameters_column }</th>
                        <th scope="col">{ t.runs.validation_column }</th>
                        <th scope="col">{ t.runs.test_column }</th>
                        <th scope="col"><span class="visually-hidden">{ t.runs.forget_column }</span></th>
                    </tr>
                </thead>
                <tbody>{ for rows }</tbody>
            </table>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::Language;
    use inkling_data::Choice;
    use inkling_model::ModelConfig;
    use inkling_train::runs::settings;
    use inkling_train::{RunConfig, ScheduleShape};

    /// The settings of runs of each kind of network, with every value the words can take.
    fn runs() -> Vec<Vec<(String, String)>> {
        let mut all = Vec::new();
        let models = ["dsd-s", "dsd-s-nodil", "cnn", "mlp", "dsd-s"];
        for (model, &shape) in models.iter().zip(ScheduleShape::ALL) {
            for (warmup, augment) in [(0, false), (100, true)] {
                let mut run = RunConfig {
                    model: ModelConfig::preset(model).unwrap(),
                    ..RunConfig::default()
                };
                run.recipe.schedule = shape.schedule(run.recipe.epochs);
                run.recipe.warmup_steps = warmup;
                run.recipe.grad_clip_norm = augment.then_some(1.0);
                let amount = augment.then_some(0.1);
                run.recipe.augment.rotation_deg = amount;
                run.recipe.augment.translation_px = amount;
                run.recipe.augment.scale = amount;
                run.recipe.train_subset = (!augment).then_some(1000);
                for fine_tuned in [None, Some("head")] {
                    all.push(
                        settings(&run, fine_tuned)
                            .into_iter()
                            .map(|s| (s.name, s.value))
                            .collect(),
                    );
                }
            }
        }
        all
    }

    #[test]
    fn in_english_the_settings_read_as_records_keep_them() {
        let t = Language::En.texts();
        for run in runs() {
            for (name, value) in run {
                assert_eq!(setting_name(t, &name), name);
                assert_eq!(setting_value(t, &name, &value), value, "{name}");
            }
        }
    }

    #[test]
    fn in_chinese_every_setting_name_and_word_is_translated() {
        let t = Language::Zh.texts();
        for run in runs() {
            for (name, value) in run {
                let shown = setting_name(t, &name);
                assert!(!shown.is_ascii(), "{name} is not translated");
                let shown = setting_value(t, &name, &value);
                let words: Vec<&str> = shown
                    .split(|c: char| !c.is_ascii_alphabetic() && c != '-')
                    .filter(|w| w.chars().any(|c| c.is_ascii_alphabetic()))
                    .collect();
                // Names: the dataset, the optimiser, the network's kind, the fine-tuning mode.
                let names = [
                    "mnist",
                    "fashion-mnist",
                    "sgd",
                    "adam",
                    "adamw",
                    "dsd",
                    "cnn",
                    "mlp",
                ];
                assert!(
                    words
                        .iter()
                        .all(|w| names.contains(&w.to_lowercase().as_str()) || *w == "head"),
                    "{name}: {value:?} is shown as {shown:?}"
                );
            }
        }
    }
}
