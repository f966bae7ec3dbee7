//! Small statistics over repeated measurements: median, spread and percentiles.

use serde::Serialize;

/// The median of a sample, its spread (the smallest and largest value) and a confidence
/// interval of the median.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Summary {
    pub median: f64,
    pub min: f64,
    pub max: f64,
    /// How many values were summarised.
    pub runs: usize,
    /// The bounds of a distribution-free confidence interval of at least 95 % for the
    /// median (two order statistics of the sample, see [`median_interval_ranks`]); `None`
    /// below six values, where no two bound one.
    pub ci95_low: Option<f64>,
    pub ci95_high: Option<f64>,
}

impl Summary {
    /// Summarises `values`; `None` when there are none or one is not a number.
    pub fn of(values: &[f64]) -> Option<Summary> {
        if values.is_empty() || values.iter().any(|v| v.is_nan()) {
            return None;
        }
        let mut sorted = values.to_vec();
        sorted.sort_by(f64::total_cmp);
        let middle = sorted.len() / 2;
        let median = if sorted.len().is_multiple_of(2) {
            (sorted[middle - 1] + sorted[middle]) / 2.0
        } else {
            sorted[middle]
        };
        let interval = median_interval_ranks(sorted.len());
        Some(Summary {
            median,
            min: sorted[0],
            max: sorted[sorted.len() - 1],
            runs: sorted.len(),
            ci95_low: interval.map(|(low, _)| sorted[low - 1]),
            ci95_high: interval.map(|(_, high)| sorted[high - 1]),
        })
    }
}

/// The 1-based ranks `(k, n + 1 - k)` of the order statistics that bound a confidence
/// interval of at least 95 % for the median of `n` independent values, whatever their
/// distribution; `None` when `n` is below 6.
///
/// Each value falls below the median with probability ½, so the number below it is
/// binomial `B(n, ½)`, and `[x(k), x(n+1-k)]` misses the median with probability
/// `2·P(B ≤ k − 1)`; `k` is the largest rank that keeps that at most 5 %. Past 1,000
/// values (where `2ⁿ` leaves the range of `f64`) the normal approximation of the binomial
/// gives `k`.
pub fn median_interval_ranks(n: usize) -> Option<(usize, usize)> {
    if n > 1000 {
        let k = (n as f64 / 2.0 - 0.98 * (n as f64).sqrt()).floor() as usize;
        return Some((k, n + 1 - k));
    }
    let total = 2f64.powi(i32::try_from(n).ok()?);
    // `C(n, j)` and `P(B ≤ j)` for j = 0, 1, …
    let mut choose = 1.0;
    let mut at_most = 0.0;
    let mut k = 0;
    for j in 0..n {
        at_most += choose / total;
        if 2.0 * at_most > 0.05 {
            break;
        }
        k = j + 1;
        choose = choose * (n - j) as f64 / (j + 1) as f64;
    }
    (k >= 1).then_some((k, n + 1 - k))
}

/// The `p`-th percentile (0 to 100, nearest rank) of `sorted`, which must be sorted
/// ascending; `None` when it is empty.
pub fn percentile(sorted: &[u64], p: f64) -> Option<u64> {
    if sorted.is_empty() {
        return None;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    Some(sorted[rank.clamp(1, sorted.len()) - 1])
}

#[cfg(test)]
mod tests {
    use super::{median_interval_ranks, percentile, Summary};

    #[test]
    fn median_of_odd_and_even_samples() {
        let odd = Summary::of(&[3.0, 1.0, 2.0]).expect("three values");
        assert_eq!((odd.median, odd.min, odd.max, odd.runs), (2.0, 1.0, 3.0, 3));
        let even = Summary::of(&[4.0, 1.0, 2.0, 3.0]).expect("four values");
        assert_eq!(even.median, 2.5);
        assert_eq!(Summary::of(&[]), None);
    }

    #[test]
    fn the_median_interval_has_the_ranks_of_the_binomial_tables() {
        // The usual table values (for example Conover, Practical Nonparametric Statistics).
        assert_eq!(median_interval_ranks(5), None);
        assert_eq!(median_interval_ranks(6), Some((1, 6)));
        assert_eq!(median_interval_ranks(7), Some((1, 7)));
        assert_eq!(median_interval_ranks(8), Some((1, 8)));
        assert_eq!(median_interval_ranks(9), Some((2, 8)));
        assert_eq!(median_interval_ranks(15), Some((4, 12)));
        assert_eq!(median_interval_ranks(21), Some((6, 16)));
        assert_eq!(median_interval_ranks(0), None);
        // The exact ranks and the normal approximation meet near the switch.
        let (exact, _) = median_interval_ranks(1000).expect("an interval");
        let (approximate, high) = median_interval_ranks(1001).expect("an interval");
        assert!(
            (exact as i64 - approximate as i64).abs() <= 1,
            "{exact} {approximate}"
        );
        assert_eq!(high, 1002 - approximate);
        assert_eq!(median_interval_ranks(10_000), Some((4902, 5099)));

        let values: Vec<f64> = (1..=21).rev().map(f64::from).collect();
        let summary = Summary::of(&values).expect("21 values");
        assert_eq!(
            (summary.ci95_low, summary.ci95_high),
            (Some(6.0), Some(16.0))
        );
        let few = Summary::of(&[1.0, 2.0, 3.0]).expect("three values");
        assert_eq!((few.ci95_low, few.ci95_high), (None, None));
    }

    #[test]
    fn nearest_rank_percentiles() {
        let values: Vec<u64> = (1..=100).collect();
        assert_eq!(percentile(&values, 50.0), Some(50));
        assert_eq!(percentile(&values, 99.0), Some(99));
        assert_eq!(percentile(&values, 100.0), Some(100));
        assert_eq!(percentile(&[7], 99.0), Some(7));
        assert_eq!(percentile(&[], 50.0), None);
    }
}
