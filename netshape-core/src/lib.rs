//! Data types shared by [`netshape`](https://docs.rs/netshape) and its `network!` macro.
//!
//! The macro computes every shape and count while your crate compiles and writes
//! them out as `const` data of the types in this crate: one [`Layer`] per step of
//! the network, one [`StateEntry`] per `state_dict` tensor, a [`Summary`] that
//! prints torchsummary's table (and torchinfo's: [`Summary::torchinfo`]),
//! typed markers for tensors ([`Tensor3`] …) and for parameterised layers
//! ([`nn`]), and the [`Network`] trait that ties them to the generated struct.
//! Depend on `netshape`, which re-exports all of it.
//!
//! # Mult-adds
//!
//! [`Layer::mult_adds`] counts the multiply-accumulates of a step's weights
//! for one sample, and [`Layer::bias_adds`] the additions of its biases:
//!
//! - a conv: its weights once per output position (`C_out · C_in/groups ·
//!   k_h · k_w · H_out · W_out`), its bias once per output element;
//! - a transposed conv: its weights once per input position;
//! - `Linear`: its weights once per leading position (every token of a
//!   sequence), its bias once per output element;
//! - an RNN, LSTM or GRU: all its weights once per step, its biases likewise;
//! - `MultiheadAttention`: the input and output projections, the scores
//!   (queries · keys) and the weighted sum of the values;
//! - norms, activations, pools, joins and reshapes: none.
//!
//! fvcore counts `mult_adds` for convs and linear layers (it leaves biases
//! out); torchinfo 1.8.0 counts `mult_adds + bias_adds` for convs and for
//! linear layers on flat features (on a sequence, one position only) and adds
//! each batch norm's parameters once, which is what [`TorchInfo`] prints. VGG16 at
//! 224×224 has 15,470,264,320 mult-adds without biases and 15,483,821,032
//! with them.

#![no_std]
#![warn(missing_docs)]

extern crate alloc;
#[cfg(test)]
extern crate std;

mod dot;
mod dtype;
#[cfg(feature = "serde")]
mod json;
mod layer;
mod markdown;
mod memory;
mod network;
pub mod nn;
pub mod program;
mod summary;
mod tensor;
mod torchinfo;

pub use dot::Dot;
pub use dtype::Dtype;
pub use layer::{ExtraOutput, Layer, ReceptiveField, Source, StateEntry};
pub use markdown::Markdown;
pub use memory::Memory;
pub use network::Network;
pub use summary::{Summary, Thousands};
pub use tensor::{Shape, Tensor0, Tensor1, Tensor2, Tensor3, Tensor4, Tensor5, Tensor6, Tensor7, Tensor8, ANY};
pub use torchinfo::{Column, TorchInfo};
