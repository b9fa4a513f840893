//! The shared vectors of `tests/vectors/` in the browser: the same replay as natively
//! (`tests/vectors.rs`), the same bytes.

#[path = "../common/vectors.rs"]
mod shared;

use shared::{replay_vector, VECTORS};
use wasm_bindgen_test::*;

#[wasm_bindgen_test]
fn vectors_produce_the_expected_bytes_in_the_browser() {
    for (name, input, expected) in VECTORS {
        assert_eq!(replay_vector(name, input), *expected, "vector {name}");
    }
}
