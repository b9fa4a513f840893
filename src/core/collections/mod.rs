//! The two small collections the core keeps its sets and counters in: [`SortedSet`] and
//! [`Tally`], both a sorted `Vec` searched by bisection. They hold tens of entries (clients,
//! vocabulary values, loss reasons), where a vector beats a B-tree in speed, and they cost a
//! fraction of its code in the `.wasm` (one B-tree and one stable sort per key type otherwise).
mod sorted_set;
mod tally;

pub use sorted_set::SortedSet;
pub use tally::Tally;
