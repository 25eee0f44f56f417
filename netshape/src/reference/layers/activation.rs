//! Activations and dropout.
//!
//! All but `GLU` keep the shape. `inplace=false` is accepted wherever PyTorch
//! has it.
//!
//! | Layer | Arguments (defaults) |
//! | --- | --- |
//! | `ReLU`, `ReLU6`, `SELU`, `SiLU`, `Mish`, `Hardswish`, `Hardsigmoid` | `inplace=false` |
//! | `LeakyReLU` | `negative_slope=0.01`, `inplace=false` |
//! | `PReLU` | `num_parameters=1` (1, or the input's channels), `init=0.25`; weight `[num_parameters]` |
//! | `RReLU` | `lower=1/8`, `upper=1/3` (`lower <= upper`), `inplace=false` |
//! | `ELU` | `alpha=1.0`, `inplace=false` |
//! | `CELU` | `alpha=1.0` (not 0), `inplace=false` |
//! | `GELU` | `approximate="none"` (or `"tanh"`) |
//! | `Sigmoid`, `Tanh`, `LogSigmoid`, `Softsign`, `Tanhshrink` | — |
//! | `Softplus` | `beta=1.0`, `threshold=20.0` |
//! | `Hardtanh` | `min_val=-1.0`, `max_val=1.0` (`min_val < max_val`), `inplace=false` |
//! | `Hardshrink` | `lambd=0.5` |
//! | `Softshrink` | `lambd=0.5` (not negative) |
//! | `Threshold` | `threshold`, `value`, `inplace=false` |
//! | `GLU` | `dim=-1`: halves that dim, which must be even |
//! | `Softmax`, `LogSoftmax`, `Softmin` | `dim=None`: `dim` must exist |
//! | `Softmax2d` | — (over the channels of `[C, H, W]`) |
//! | `Dropout`, `Dropout1d`, `Dropout2d`, `Dropout3d`, `AlphaDropout`, `FeatureAlphaDropout` | `p=0.5` (from 0 to 1), `inplace=false` |
//! | `Identity` | any, ignored |
//! | `StochasticDepth` (torchvision.ops, used by its models) | `p` (from 0 to 1), `mode` (`"batch"` or `"row"`) |
//!
//! The functional forms (`relu`, `gelu`, `softmax`, `dropout`, …) are on the
//! [`functional`](super::functional) page. With the runtime, dropouts,
//! `StochasticDepth` and `RReLU` compute what PyTorch's `eval()` does (see
//! [`differences`](crate::reference::differences)).
//!
//! ```
//! use netshape::network;
//!
//! network! {
//!     pub struct Activations {
//!         input: [16, 8, 8],
//!         ReLU(inplace = true),
//!         LeakyReLU(0.2),
//!         prelu: PReLU(16),
//!         GELU(approximate = "tanh"),
//!         Hardtanh(-2.0, 2.0),
//!         Softplus(beta = 2),
//!         Threshold(0.1, 0.0),
//!         RReLU(),
//!         CELU(alpha = 0.5),
//!         Softshrink(0.1),
//!         Dropout2d(0.2),
//!         GLU(dim = 1),                       // halves the channels
//!         Softmax(dim = 1),
//!         Identity(54, "ignored"),
//!         StochasticDepth(0.1, "row"),
//!         Softmax2d(),
//!     }
//! }
//!
//! assert_eq!(Activations::LAYERS[10].output, [16, 8, 8]);
//! assert_eq!(Activations::OUTPUT_SHAPE, [8, 8, 8]);
//! assert_eq!(Activations::TOTAL_PARAMS, 16);
//! assert_eq!((Activations::STATE_DICT[0].key, Activations::STATE_DICT[0].shape), ("prelu.weight", &[16][..]));
//! assert!(Activations::LAYERS[0].inplace);
//! // Every module is a row, numbered as in `nn.Sequential`.
//! assert_eq!(Activations::SUMMARY.rows().count(), 16);
//! assert_eq!(Activations::LAYERS[15].name, "15");
//! ```
//!
//! Checked: `dim` against the input's rank, `GLU`'s dim being even, `PReLU`'s
//! count against the channels, and the bounds in the table.
//!
//! ```compile_fail
//! netshape::network! {
//!     pub struct Net {
//!         input: [10],
//!         Hardtanh(1.0, -1.0),                // min_val must be below max_val
//!     }
//! }
//! ```
//!
//! ```compile_fail
//! netshape::network! {
//!     pub struct Net {
//!         input: [10],
//!         Dropout(p = 1.5),                   // a probability: from 0 to 1
//!     }
//! }
//! ```
