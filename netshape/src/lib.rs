//! Write a neural network the way you write it in PyTorch, and have the
//! compiler check it.
//!
//! The [`network!`] macro reads a layer DSL with torch.nn's class names,
//! argument names, order and defaults, computes every layer's output shape and
//! parameter count while your crate compiles, and emits a typed struct with
//! `const` summaries. A shape mismatch is a compile error that points at the
//! offending argument and explains the numbers.
//!
//! ```
//! use netshape::network;
//!
//! network! {
//!     /// The MNIST classifier from the torchsummary README.
//!     pub struct Net {
//!         input: [1, 28, 28],
//!         conv1: Conv2d(1, 10, kernel_size = 5),
//!         max_pool2d(2),
//!         relu(),
//!         conv2: Conv2d(10, 20, kernel_size = 5),
//!         conv2_drop: Dropout2d(),
//!         max_pool2d(2),
//!         relu(),
//!         view(-1, 320),
//!         fc1: Linear(320, 50),
//!         relu(),
//!         dropout(),
//!         fc2: Linear(50, 10),
//!         log_softmax(dim = 1),
//!     }
//! }
//!
//! const _: () = assert!(Net::TOTAL_PARAMS == 21_840);
//! assert_eq!(Net::OUTPUT_SHAPE, [10]);
//! assert_eq!(Net::STATE_DICT[0].key, "conv1.weight");
//! assert_eq!(Net::STATE_DICT[0].shape, [10, 1, 5, 5]);
//! let table = Net::SUMMARY.to_string();
//! assert!(table.contains("            Conv2d-1           [-1, 10, 24, 24]             260"));
//! ```
//!
//! The [`reference`](mod@reference) documents the rest, every example on it a doctest:
//!
//! - [`reference::dsl`] and [`reference::graphs`]: the DSL, from a chain of
//!   layers to blocks, joins, loops and several inputs;
//! - [`reference::layers`]: every layer and function netshape knows, with
//!   PyTorch's arguments, defaults, shapes and `state_dict` entries;
//! - [`reference::checks`] and [`reference::lints`]: what is an error, and what
//!   is a warning;
//! - [`reference::expansion`], [`reference::analysis`] and
//!   [`reference::exports`]: the struct, its consts, torchsummary's and
//!   torchinfo's tables, receptive fields, mult-adds, memory, JSON, Markdown
//!   and Graphviz;
//! - [`reference::differences`]: where netshape departs from PyTorch.
//!
//! With the `runtime` feature, the same networks run: `runtime::Model` loads a
//! PyTorch checkpoint by its `state_dict` keys and computes the forward pass on
//! candle, with the sample's shape in the input and output types (see the
//! `runtime` module).

#![cfg_attr(not(feature = "runtime"), no_std)]

pub use netshape_core::{
    nn, program, Column, Dtype, ExtraOutput, Layer, Memory, Network, ReceptiveField, Shape, Source, StateEntry,
    Summary, Tensor0, Tensor1, Tensor2, Tensor3, Tensor4, Tensor5, Tensor6, Tensor7, Tensor8, Thousands, TorchInfo,
    ANY,
};
pub mod reference;
#[cfg(feature = "runtime")]
pub mod runtime;

// The exports of a `Summary`: `Summary::markdown()` and `Summary::dot()`.
pub use netshape_core::{Dot, Markdown};

/// Declares one or more networks (and named constants) in netshape's DSL.
///
/// Each `struct` becomes a type with one typed field per layer that stores
/// tensors, and inherent consts: `INPUT_SHAPE`, `OUTPUT_SHAPE`, `TOTAL_PARAMS`,
/// `TRAINABLE_PARAMS`, `NON_TRAINABLE_PARAMS`, `BUFFERS`, `LAYERS`,
/// `STATE_DICT` and `SUMMARY` (the same as its [`Network`] impl).
///
/// ```
/// netshape::network! {
///     const HIDDEN: usize = 64;
///
///     pub struct Mlp {
///         input: [784],
///         fc1: Linear(784, HIDDEN),
///         ReLU(),
///         fc2: Linear(HIDDEN, 10),
///     }
/// }
///
/// assert_eq!(HIDDEN, 64);
/// assert_eq!(Mlp::TOTAL_PARAMS, 784 * 64 + 64 + 64 * 10 + 10);
/// let _: netshape::nn::Linear<784, 64> = Mlp::default().fc1;
/// ```
pub use netshape_macros::network;
