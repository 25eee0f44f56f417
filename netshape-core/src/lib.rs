//! Data types shared by [`netshape`](https://docs.rs/netshape) and its `network!` macro.
//!
//! The macro computes every shape and count while your crate compiles and writes
//! them out as `const` data of the types in this crate: one [`Layer`] per step of
//! the network, one [`StateEntry`] per `state_dict` tensor, a [`Summary`] that
//! prints torchsummary's table (and torchinfo's: [`Summary::torchinfo`]),
//! typed markers for tensors ([`Tensor3`] …) and for parameterised layers
//! ([`nn`]), and the [`Network`] trait that ties them to the generated struct.
//! Depend on `netshape`, which re-exports all of it.

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
pub use tensor::{Tensor0, Tensor1, Tensor2, Tensor3, Tensor4, Tensor5, Tensor6, Tensor7, Tensor8};
pub use torchinfo::{Column, TorchInfo};
