//! Numbers as the page shows them: parameter and example counts, durations, slider rates.

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

/// `93` -> `1 min 33 s`.
pub fn format_duration(seconds: f64) -> String {
    let s = seconds.round() as u64;
    if s >= 60 {
        format!("{} min {} s", s / 60, s % 60)
    } else {
        format!("{s} s")
    }
}

/// Rounds to two significant digits, so the slider shows rates like 0.0032.
pub fn round_rate(rate: f64) -> f64 {
    let power = 10f64.powf(rate.log10().floor() - 1.0);
    (rate / power).round() * power
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(format_duration(0.4), "0 s");
        assert_eq!(format_duration(59.4), "59 s");
        assert_eq!(format_duration(93.0), "1 min 33 s");
        assert_eq!(format_duration(3600.0), "60 min 0 s");
    }

    #[test]
    fn slider_rates_are_rounded_to_two_digits() {
        assert!((round_rate(0.0031622) - 0.0032).abs() < 1e-12);
        assert!((round_rate(0.1) - 0.1).abs() < 1e-12);
    }
}
