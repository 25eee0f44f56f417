//! The reference: netshape's DSL, every layer it knows, and everything the
//! expansion holds.
//!
//! The README is the introduction; these pages are what to look up. Each
//! example on them is compiled and run by `cargo test` (a `compile_fail`
//! example must fail to compile), so what they show is what netshape does.
//!
//! | Page | What it holds |
//! | --- | --- |
//! | [`dsl`] | A network's statements: modules and functions, names and numbering, arguments and values, dims, the batch, constants |
//! | [`graphs`] | Blocks, sequences, loops, joins, named values, reuse, several inputs and outputs, frozen layers, blocks shared between invocations |
//! | [`layers`] | Every layer and function, with PyTorch's arguments, defaults, shapes and `state_dict` entries, one page per family |
//! | [`checks`] | What is checked at compile time, and what is reported after a mistake |
//! | [`expansion`] | What `network!` expands to: the struct, its consts, the [`Network`](crate::Network) impl, the docs, torchsummary's and torchinfo's tables |
//! | [`analysis`] | Receptive fields, mult-adds, and the memory estimate |
//! | [`lints`] | The warnings for what is legal but probably a mistake |
//! | [`exports`] | JSON, Markdown and Graphviz |
//! | [`differences`] | Where netshape knowingly differs from PyTorch or stops short |
//!
//! Shapes everywhere leave the batch out: `input: [3, 32, 32]` is PyTorch's
//! `[N, 3, 32, 32]`, and `OUTPUT_SHAPE` is one sample's.
//!
//! ```
//! use netshape::network;
//!
//! network! {
//!     pub struct Net {
//!         input: [3, 32, 32],
//!         conv: Conv2d(3, 16, 3, padding = 1),
//!         relu(),
//!         flatten(1),
//!         fc: Linear(16 * 32 * 32, 10),
//!     }
//! }
//!
//! assert_eq!(Net::INPUT_SHAPE, [3, 32, 32]);
//! assert_eq!(Net::OUTPUT_SHAPE, [10]);
//! assert_eq!(Net::TOTAL_PARAMS, (3 * 9 * 16 + 16) + (16 * 32 * 32 * 10 + 10));
//! ```

pub mod analysis;
pub mod checks;
pub mod differences;
pub mod dsl;
pub mod expansion;
pub mod exports;
pub mod graphs;
pub mod layers;
pub mod lints;
