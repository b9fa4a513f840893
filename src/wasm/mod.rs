//! wasm edge (placeholder while native builds)
