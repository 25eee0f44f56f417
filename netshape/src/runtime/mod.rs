//! Running networks: the checked network is the model that runs.
//!
//! With the `runtime` feature, every network `network!` declares implements
//! [`Runnable`](crate::program::Runnable): its forward pass as a program of
//! steps, with every shape and parameter position computed at compile time.
//! A [`Model`] pairs a network with its tensors, loaded from a PyTorch
//! checkpoint (safetensors or `torch.save`'s zip), built from tensors or
//! initialised from a seed, and runs it on a [`Backend`]: [`Candle`] unless
//! you choose another.
//!
//! ```
//! use netshape::network;
//! use netshape::runtime::{Batch, DType, Device, Model, Tensor};
//!
//! network! {
//!     pub struct Digits {
//!         input: [1, 8, 8],
//!         conv: Conv2d(1, 4, 3, padding = 1), relu(), max_pool2d(2),
//!         flatten(1),
//!         fc: Linear(4 * 4 * 4, 10),
//!     }
//! }
//!
//! let device = Device::Cpu;
//! let model = Model::<Digits>::init(42, &device)?;
//! // The one run-time shape check: a raw tensor becomes a typed batch.
//! let images: Batch<netshape::Tensor3<1, 8, 8>> = Batch::new(Tensor::zeros((2, 1, 8, 8), DType::F32, &device)?)?;
//! let logits = model.forward(images)?;              // Batch<Tensor1<10>>
//! assert_eq!(logits.tensor().dims(), [2, 10]);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Feeding one network's output to a network whose input differs does not
//! compile: the batch types differ. [`Batch::into_inner`] and
//! [`Model::forward_raw`] are the escape hatches to plain tensors.

mod backend;
mod candle;
mod cpu;
mod error;
mod exec;
mod init;
mod model;
mod typed;
mod weights;

pub use self::backend::{Backend, Binary, Conv2d, Pool2d, Reduce, Unary};
pub use self::candle::Candle;
pub use self::error::{Error, Mismatch, Result};
pub use self::model::{Model, StepTime};
pub use self::typed::{Batch, Signature};
pub use self::weights::{RawData, RawTensor};
/// candle's tensor library, as the runtime uses it.
pub use candle_core;
pub use candle_core::{DType, Device, Tensor};
