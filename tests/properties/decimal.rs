//! 5. `Decimal` is exact.

use crate::*;

/// A percentage: whole percents from 0 to 100, short decimals, or any decimal.
fn percentage() -> impl Strategy<Value = Decimal> {
    prop_oneof![
        2 => (0..=100i64).prop_map(Decimal::from),
        2 => (-100_000..=100_000i64, 0..=4u32)
            .prop_map(|(m, scale)| Decimal::new(m, scale).expect("scale in range")),
        1 => decimal(),
    ]
}

proptest! {
    #![proptest_config(config(1024))]

    /// A decimal prints as its digits with the point before the last `scale` of them, and
    /// parses back to the same mantissa and the same scale.
    #[test]
    fn decimals_round_trip_through_display(
        mantissa in any::<i64>(),
        scale in 0..=Decimal::MAX_SCALE,
    ) {
        let d = Decimal::new(mantissa, scale).expect("scale in range");
        let text = d.to_string();
        prop_assert_eq!(&text, &naive_decimal(d));
        let back: Decimal = text
            .parse()
            .map_err(|e| TestCaseError::fail(format!("{text:?} does not parse: {e}")))?;
        prop_assert_eq!((back.mantissa(), back.scale()), (mantissa, scale), "{}", text);
    }

    /// `percent` is exact: `result * 100 == value * percent`, with a scale at least the
    /// value's and no trailing zero beyond it; `None` only when no such result fits (a
    /// mantissa beyond `i64` or more than 18 decimals).
    #[test]
    fn percent_is_exact(value in decimal(), percent in percentage()) {
        let shares = exact_shares(value, percent);
        let result = value.percent(percent);
        let Some(share) = result else {
            prop_assert!(shares.is_empty(), "{percent}% of {value} is None; {shares:?} fit");
            return Ok(());
        };
        let (mantissa, scale) = (share.mantissa(), share.scale());
        // Exact: both sides at the scale of the product.
        let product_scale = value.scale() + percent.scale() + 2;
        let product = i128::from(value.mantissa()) * i128::from(percent.mantissa());
        let lifted = 10_i128
            .checked_pow(product_scale.saturating_sub(scale))
            .and_then(|f| i128::from(mantissa).checked_mul(f));
        prop_assert!(scale <= product_scale, "{share:?} for {percent}% of {value}");
        prop_assert_eq!(lifted, Some(product), "{:?} for {}% of {}", share, percent, value);
        prop_assert!(scale >= value.scale(), "{share:?} for {percent}% of {value}");
        prop_assert!(
            scale == value.scale() || mantissa % 10 != 0,
            "{share:?} for {percent}% of {value}: trailing zero",
        );
        prop_assert_eq!(shares.first(), Some(&(mantissa, scale)));
    }
}
