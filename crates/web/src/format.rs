//! Numbers as the page shows them: parameter and example counts, durations, slider rates.
//! Sizes and durations have units in words: [`format_bytes`] and [`format_duration`] write
//! them in the language of the texts they are given.

use crate::text::{Texts, fill};

/// `37642` -> `37,642`.
pub fn group_thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `43_210` -> `43.2 kB`, `161_270` -> `161 kB`: a file's size as the footer shows it, in the
/// words of `t` (`512 bytes`, `512 字节`).
pub fn format_bytes(t: &Texts, bytes: usize) -> String {
    let kb = bytes as f64 / 1000.0;
    match kb {
        kb if kb < 1.0 => fill(t.app.size_bytes, &[("bytes", &bytes)]),
        kb if kb < 100.0 => format!("{kb:.1} kB"),
        kb if kb < 1000.0 => format!("{kb:.0} kB"),
        kb => format!("{:.2} MB", kb / 1000.0),
    }
}

/// `93` -> `1 min 33 s` in the words of `t` (`1 分 33 秒`).
pub fn format_duration(t: &Texts, seconds: f64) -> String {
    let s = seconds.round() as u64;
    if s >= 60 {
        fill(
            t.app.duration_minutes,
            &[("minutes", &(s / 60)), ("seconds", &(s % 60))],
        )
    } else {
        fill(t.app.duration_seconds, &[("seconds", &s)])
    }
}

/// Rounds to two significant digits, so the slider shows rates like 0.0032.
pub fn round_rate(rate: f64) -> f64 {
    let power = 10f64.powf(rate.log10().floor() - 1.0);
    (rate / power).round() * power
}

/// The network's family in the page's language (`DSD net`, `CNN`, `MLP`).
pub fn network_family(t: &Texts, model: &inkling_model::ModelConfig) -> &'static str {
    match model.architecture() {
        inkling_model::Architecture::Dsd => t.app.family_dsd,
        inkling_model::Architecture::Cnn => t.app.family_cnn,
        inkling_model::Architecture::Mlp => t.app.family_mlp,
    }
}

/// A dataset's name as people write it (the same in every language).
pub fn dataset_name(dataset: inkling_data::DatasetKind) -> &'static str {
    match dataset {
        inkling_data::DatasetKind::Mnist => "MNIST",
        inkling_data::DatasetKind::FashionMnist => "Fashion-MNIST",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::Language;

    #[test]
    fn sizes_keep_three_significant_digits() {
        let en = Language::En.texts();
        assert_eq!(format_bytes(en, 512), "512 bytes");
        assert_eq!(format_bytes(en, 43_210), "43.2 kB");
        assert_eq!(format_bytes(en, 161_270), "161 kB");
        assert_eq!(format_bytes(en, 2_186_150), "2.19 MB");
        let zh = Language::Zh.texts();
        assert_eq!(format_bytes(zh, 512), "512 字节");
        assert_eq!(format_bytes(zh, 43_210), "43.2 kB");
    }

    #[test]
    fn thousands_are_grouped_with_commas() {
        assert_eq!(group_thousands(0), "0");
        assert_eq!(group_thousands(999), "999");
        assert_eq!(group_thousands(1000), "1,000");
        assert_eq!(group_thousands(37642), "37,642");
        assert_eq!(group_thousands(1_234_567), "1,234,567");
    }

    #[test]
    fn durations_are_seconds_then_minutes() {
        let en = Language::En.texts();
        assert_eq!(format_duration(en, 0.4), "0 s");
        assert_eq!(format_duration(en, 59.4), "59 s");
        assert_eq!(format_duration(en, 93.0), "1 min 33 s");
        assert_eq!(format_duration(en, 3600.0), "60 min 0 s");
        let zh = Language::Zh.texts();
        assert_eq!(format_duration(zh, 59.4), "59 秒");
        assert_eq!(format_duration(zh, 93.0), "1 分 33 秒");
    }

    #[test]
    fn slider_rates_are_rounded_to_two_digits() {
        assert!((round_rate(0.0031622) - 0.0032).abs() < 1e-12);
        assert!((round_rate(0.1) - 0.1).abs() < 1e-12);
    }
}
