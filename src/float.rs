//! The few `f64` operations the core needs that live in `std`, not `core` (they lower to libm
//! calls): rounding to an integer and scaling by a power of ten. The `.wasm` is `no_std`, and
//! these are a few lines each where `libm` would be a dependency.

/// `x` rounded to the nearest integer, halves away from zero, saturating at the `i64` range
/// (as `f64::round` followed by `as i64`).
pub fn round_to_i64(x: f64) -> i64 {
    let truncated = x as i64; // toward zero, saturating; NaN gives 0
    let rest = x - truncated as f64;
    if rest >= 0.5 {
        truncated.saturating_add(1)
    } else if rest <= -0.5 {
        truncated.saturating_sub(1)
    } else {
        truncated
    }
}

/// Whether `x` is an integer (and finite).
pub fn is_integral(x: f64) -> bool {
    /// From 2^52 on, every `f64` is an integer.
    const ALL_INTEGERS_FROM: f64 = 4_503_599_627_370_496.0;
    x.is_finite() && (x.abs() >= ALL_INTEGERS_FROM || x == (x as i64) as f64)
}

/// `x · 10^exponent`, dividing for a negative exponent (`1.5e-1` is `15 / 100`, not
/// `15 · 0.01`, as a correctly rounding parser would for small exponents).
pub fn scale_by_power_of_ten(x: f64, exponent: i32) -> f64 {
    // 10^309 overflows and 10^-325 underflows for any non-zero significand of 19 digits or fewer.
    let mut power = 1.0f64;
    let mut base = 10.0f64;
    let mut n = exponent.unsigned_abs().min(400);
    while n > 0 {
        if n & 1 == 1 {
            power *= base;
        }
        base *= base;
        n >>= 1;
    }
    if exponent >= 0 {
        x * power
    } else {
        x / power
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounds_like_std() {
        for x in [
            0.0,
            -0.0,
            0.4,
            0.5,
            0.6,
            -0.4,
            -0.5,
            -0.6,
            1.5,
            2.5,
            -2.5,
            1e15 + 0.5,
            4.5e15,
            -4.5e15,
            1e18,
            9.3e18,
            -9.3e18,
            1e300,
            -1e300,
            f64::NAN,
            f64::INFINITY,
            0.49999999999999994,
            123_456.789_5,
        ] {
            assert_eq!(round_to_i64(x), x.round() as i64, "{x}");
        }
    }

    #[test]
    fn tells_integers_like_std() {
        for x in [
            0.0,
            -0.0,
            1.0,
            -7.0,
            0.5,
            -0.25,
            1e15 + 0.5,
            4.5e15,
            1e300,
            2.0f64.powi(63),
        ] {
            assert_eq!(is_integral(x), x.fract() == 0.0, "{x}");
        }
        assert!(!is_integral(f64::NAN));
        assert!(!is_integral(f64::INFINITY));
    }

    #[test]
    fn scales_exactly_where_the_power_is_exact() {
        assert_eq!(scale_by_power_of_ten(15.0, -1), 1.5);
        assert_eq!(scale_by_power_of_ten(3.0, -1), 0.3, "3 / 10, not 3 · 0.1");
        assert_eq!(scale_by_power_of_ten(12_345.0, 2), 1_234_500.0);
        assert_eq!(scale_by_power_of_ten(7.0, 0), 7.0);
        assert_eq!(scale_by_power_of_ten(1.0, 22), 1e22);
        assert_eq!(scale_by_power_of_ten(1.0, 400), f64::INFINITY);
        assert_eq!(scale_by_power_of_ten(1.0, -400), 0.0);
        assert_eq!(scale_by_power_of_ten(1.0, i32::MIN), 0.0);
    }
}
