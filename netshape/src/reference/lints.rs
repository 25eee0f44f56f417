//! Lints: warnings for what is legal but probably a mistake.
//!
//! netshape warns at compile time, with real rustc warnings that name the layer
//! and point at it:
//!
//! | lint | fires when |
//! |---|---|
//! | `uncovered_input` | a conv or pool never reads some input rows or columns: its windows stop short of the end (3×3 stride 2 on 224), or its stride steps over rows between windows (ResNet's 1×1 stride-2 shortcut); rows a constant pad just added, zeros, do not count |
//! | `receptive_field_exceeds_input` | off unless `#[warn(netshape::receptive_field_exceeds_input)]` turns it on: a unit's receptive field grows past the input (reported once, at the first such layer), as in 11 of the 14 classic torchvision classifiers and every squeeze-and-excitation gate after its global pool |
//! | `upsampling_adaptive_pool` | an adaptive pool outputs more than it receives |
//! | `dropout_before_softmax` | a dropout comes right before the softmax that gives an output |
//! | `bias_before_norm` | a conv with `bias = true` feeds a batch norm directly |
//!
//! ```text
//! warning: use of deprecated constant `_::netshape_bias_before_norm`: `conv` has a bias, but `bn` right after it subtracts the mean, which cancels the bias: write `bias = false`; silence with `#[allow(netshape::bias_before_norm)]`
//!  --> src/main.rs:7:15
//!   |
//! 7 |         conv: Conv2d(3, 16, 3, padding = 1),
//!   |               ^^^^^^
//! ```
//!
//! Silence one with `#[allow(netshape::NAME)]` on the layer, on a `[…]`
//! sequence, on a block or on the network, and turn one on with
//! `#[warn(netshape::NAME)]` the same way; the innermost wins, and a misspelt
//! name is an error. They
//! are rustc's `deprecated` warnings underneath (stable Rust has no custom
//! lints), so `#![deny(warnings)]` makes them errors and `#[allow(deprecated)]`
//! around the `network!` silences them all. A block's lint is reported once, at
//! the block. The transcribed torchvision models of the crate's `examples/`
//! silence the ones torchvision's designs trigger (each with a comment saying
//! why).
//!
//! Under `deny`, the warning stops the build:
//!
//! ```compile_fail
//! #![deny(deprecated)]
//!
//! netshape::network! {
//!     pub struct Net {
//!         input: [3, 32, 32],
//!         conv: Conv2d(3, 16, 3, padding = 1),
//!         bn: BatchNorm2d(16),
//!     }
//! }
//! #
//! # fn main() {}
//! ```
//!
//! and `bias = false`, or an `allow` where the bias is meant, lets it through:
//!
//! ```
//! #![deny(deprecated)]
//!
//! netshape::network! {
//!     pub struct Net {
//!         input: [3, 32, 32],
//!         conv: Conv2d(3, 16, 3, padding = 1, bias = false),
//!         bn: BatchNorm2d(16),
//!     }
//!
//!     pub struct Kept {
//!         input: [3, 32, 32],
//!         #[allow(netshape::bias_before_norm)]
//!         conv: Conv2d(3, 16, 3, padding = 1),
//!         bn: BatchNorm2d(16),
//!     }
//! }
//!
//! fn main() {
//!     assert_eq!(Net::TOTAL_PARAMS + 16, Kept::TOTAL_PARAMS);
//! }
//! ```
//!
//! The receptive-field lint, asked for:
//!
//! ```compile_fail
//! #![deny(deprecated)]
//!
//! netshape::network! {
//!     #[warn(netshape::receptive_field_exceeds_input)]
//!     pub struct Net {
//!         input: [1, 12, 12],
//!         Conv2d(1, 4, 5, padding = 2),
//!         Conv2d(4, 4, 5, padding = 2),
//!         Conv2d(4, 4, 5, padding = 2),
//!     }
//! }
//! #
//! # fn main() {}
//! ```
//!
//! Each lint, silenced where it fires: on the network, on a step, on a block.
//!
//! ```
//! #![deny(warnings)]
//!
//! netshape::network! {
//!     #[allow(netshape::bias_before_norm)]
//!     block ConvBn(cin, cout) {
//!         conv: Conv2d(cin, cout, 3, padding = 1),
//!         bn: BatchNorm2d(cout),
//!     }
//!
//!     #[allow(netshape::receptive_field_exceeds_input)]
//!     pub struct Net {
//!         input: [3, 12, 12],
//!         #[allow(netshape::uncovered_input)]
//!         stem: Conv2d(3, 8, 3, stride = 2),          // reads 11 of 12 rows
//!         block: ConvBn(8, 8),
//!         Conv2d(8, 8, 5, padding = 2),
//!         #[allow(netshape::upsampling_adaptive_pool)]
//!         pool: AdaptiveAvgPool2d(7),                 // 5×5 in, 7×7 out
//!         flatten(1),
//!         fc: Linear(8 * 7 * 7, 10),
//!         #[allow(netshape::dropout_before_softmax)]
//!         drop: Dropout(),
//!         Softmax(dim = 1),
//!     }
//! }
//!
//! fn main() {
//!     assert_eq!(Net::LAYERS[0].output, [8, 5, 5]);
//! }
//! ```
//!
//! A misspelt lint name is an error:
//!
//! ```compile_fail
//! netshape::network! {
//!     pub struct Net {
//!         input: [3, 32, 32],
//!         #[allow(netshape::bias_before_norms)]
//!         conv: Conv2d(3, 16, 3, padding = 1),
//!         bn: BatchNorm2d(16),
//!     }
//! }
//! ```
