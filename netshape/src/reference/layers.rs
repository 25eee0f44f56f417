//! Every layer netshape knows, with PyTorch's arguments, defaults, shapes and
//! `state_dict` entries, one page per family.
//!
//! | Page | Layers |
//! | --- | --- |
//! | [`convolution`] | convolutions, transposed convolutions, pools, adaptive pools, `Unfold`, `Fold` |
//! | [`normalization`] | batch, instance, group, layer and local response norms |
//! | [`linear`] | `Linear`, embeddings, `RNN`, `LSTM`, `GRU`, attention, Transformers |
//! | [`reshaping`] | upsampling, shuffles, padding, `Flatten`, `Unflatten` |
//! | [`activation`] | activations, softmaxes, dropouts, `Identity`, `StochasticDepth` |
//! | [`functional`] | the functional forms (`F.relu`, `x.view`, `torch.cat`…) and the tensor methods |
//!
//! Shapes leave the batch out: `[C, H, W]` is PyTorch's `[N, C, H, W]`. `N` on
//! these pages is 1, 2 or 3 for the `1d`, `2d`, `3d` forms; a tuple argument
//! has one value per spatial axis. Output sizes follow PyTorch's formulas: a
//! conv or pool gives `floor((in + 2·padding − dilation·(kernel − 1) − 1) /
//! stride) + 1` (pools in `ceil_mode` round up but drop a last window that
//! would start in the right padding); a transposed conv gives
//! `(in − 1)·stride − 2·padding + dilation·(kernel − 1) + output_padding + 1`.
//! Every module is also listed with its `state_dict` entries.
//!
//! `CamelCase` names are modules (a row of the summary, and a field of the
//! struct when it stores tensors); `snake_case` names are functions (no row, no
//! parameters); see [`dsl`](super::dsl#modules-and-functions). Where netshape
//! departs from PyTorch is on the [`differences`](super::differences) page.
//!
//! ```
//! use netshape::network;
//!
//! network! {
//!     /// One layer of several families.
//!     pub struct Tour {
//!         input: [3, 32, 32],
//!         conv: Conv2d(3, 8, 3, padding = 1, bias = false),  // convolution
//!         bn: BatchNorm2d(8),                                 // normalization
//!         act: GELU(),                                        // activation
//!         max_pool2d(2),                                      // functional
//!         flatten(1),                                         // reshaping
//!         fc: Linear(8 * 16 * 16, 10),                        // linear
//!     }
//! }
//!
//! let shapes: Vec<_> = Tour::LAYERS.iter().map(|layer| (layer.kind, layer.output)).collect();
//! assert_eq!(
//!     shapes,
//!     [
//!         ("Conv2d", &[8, 32, 32][..]),
//!         ("BatchNorm2d", &[8, 32, 32]),
//!         ("GELU", &[8, 32, 32]),
//!         ("max_pool2d", &[8, 16, 16]),
//!         ("flatten", &[2048]),
//!         ("Linear", &[10]),
//!     ]
//! );
//! ```

pub mod activation;
pub mod convolution;
pub mod functional;
pub mod linear;
pub mod normalization;
pub mod reshaping;
