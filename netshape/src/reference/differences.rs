//! Where netshape knowingly differs from PyTorch or stops short.
//!
//! - `MaxPool1d` with an output length of 0 is accepted, as PyTorch 1.13
//!   accepts it when no gradient is needed (it returns an empty tensor); every
//!   other pool rejects an empty output.
//! - `return_indices = true` is an error: the pool would return a second tensor.
//! - The functional forms of layers with parameters (`F.conv2d`, `F.linear`,
//!   `F.batch_norm`) take weight tensors and are not available; use the modules.
//! - `device` and `dtype` arguments are not accepted.
//! - Sizes must be positive: PyTorch's degenerate zero-size layers are rejected.
//! - netshape keeps the batch size open and never lets samples mix, so it
//!   rejects what PyTorch runs only by reading the batch as a dimension of one
//!   sample: a pad or `GLU` of dim 0, an RNN or attention over a sample with no
//!   sequence dimension (it would run across the batch), `Softmax2d`,
//!   `PixelShuffle` or `Unfold` on a sample without channels, `cat`/`mean` over
//!   dim 0.
//! - `chunk` must divide evenly (PyTorch makes the last piece smaller; write
//!   `split((a, b), dim = …)` for uneven pieces).
//! - `MultiheadAttention(bias = false)` is rejected where PyTorch 1.13 runs it
//!   on its inference fast path and fails (`batch_first = true`, one input as
//!   query, key and value, an even head count, no dropout, no `add_bias_kv` or
//!   `add_zero_attn`, equal key and value sizes), as the reference data
//!   records; one value given three times, `(x, x, x)`, is that one input; `Transformer` layers take `bias` as PyTorch 2.1
//!   does (1.13 had none).
//! - `ConstantPad`, `ReflectionPad` and `ReplicationPad` follow PyTorch 1.13's
//!   limits on empty results exactly, including its quirk that a 2d or 3d
//!   reflection or replication pad may leave one axis empty if another is not.
//! - After an error in a block's own `network!`, a block brought in with `use`
//!   reports nothing more where it is used.
//! - The runtime computes inference: the functional dropouts (`dropout()` and
//!   kin, whose PyTorch default is `training = true`), `rrelu` and
//!   `stochastic_depth` run as in `eval()`, without noise, whatever `training`
//!   says. The batch is always a tensor's first dim; `batch_first` only tells
//!   where PyTorch would put it.
//! - Functional `instance_norm(use_input_stats = false)` is a compile error:
//!   it needs running statistics, which a functional op is not given here.
//! - The functional `alpha_dropout` and `feature_alpha_dropout` default to
//!   `training = false`, as PyTorch's do; `dropout1d` takes `[C, L]` or `[L]`,
//!   and the feature dropouts need channels when they drop.
//! - After an error, the stand-in struct implements `Network` with `Tensor0` as
//!   its input and output types (associated types cannot depend on the error),
//!   so code that names those types concretely may report a second error.
//!
//! Uneven pieces with `split`, where `chunk` would be an error:
//!
//! ```
//! netshape::network! {
//!     pub struct Net {
//!         input: [15, 8, 8],
//!         let (left, right) = split((8, 7), dim = 1),
//!         cat(right, left, dim = 1),
//!     }
//! }
//!
//! assert_eq!(Net::LAYERS[0].output, [8, 8, 8]);
//! assert_eq!(Net::OUTPUT_SHAPE, [15, 8, 8]);
//! ```
//!
//! A pool's indices are a second tensor netshape does not follow:
//!
//! ```compile_fail
//! netshape::network! {
//!     pub struct Net {
//!         input: [3, 32, 32],
//!         pool: MaxPool2d(2, return_indices = true),
//!     }
//! }
//! ```
//!
//! A concatenation over dim 0 would join samples of the batch:
//!
//! ```compile_fail
//! netshape::network! {
//!     pub struct Net {
//!         input: [3, 32, 32],
//!         cat([], [], dim = 0),
//!     }
//! }
//! ```
