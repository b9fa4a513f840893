//! The edge cases of JSON numbers that must be written back as the same number (big, tiny,
//! negative zero, exponents, integers beyond 2^53 and at the ends of i64/u64), shared by the
//! native differential test and the wasm boundary test.

pub const EDGE_CASES: &[&str] = &[
    "1e22",
    "1.5e300",
    "-1e-78",
    "5e-324",
    "-0",
    "-0.0",
    "0",
    "9007199254740993",
    "-9223372036854775808",
    "9223372036854775807",
    "18446744073709551615",
    "1.7976931348623157e308",
    "2.2250738585072014e-308",
    "2.2250738585072011e-308",
    "0.1",
    "123456.789e-3",
    "1E+2",
    "4.9406564584124654e-324",
];
