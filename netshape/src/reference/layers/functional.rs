//! Functional forms.
//!
//! With PyTorch's signatures after the input tensor; each is as its module
//! unless said otherwise. A function is no row of the summary and owns no
//! parameters, so it takes no name (see [`dsl`](crate::reference::dsl#modules-and-functions)).
//!
//! | Function | Arguments (defaults) |
//! | --- | --- |
//! | `max_pool1d`, `max_pool2d`, `max_pool3d` | `kernel_size`, `stride=kernel_size`, `padding=0`, `dilation=1`, `ceil_mode=false`, `return_indices=false` |
//! | `avg_pool1d` | `kernel_size`, `stride=kernel_size`, `padding=0`, `ceil_mode=false`, `count_include_pad=true` |
//! | `avg_pool2d`, `avg_pool3d` | as `avg_pool1d`, and `divisor_override=None` |
//! | `adaptive_avg_pool1d`, `adaptive_avg_pool2d`, `adaptive_avg_pool3d` | `output_size` |
//! | `adaptive_max_pool1d`, `adaptive_max_pool2d`, `adaptive_max_pool3d` | `output_size`, `return_indices=false` |
//! | `unfold`, `fold` | as `Unfold`, `Fold` |
//! | `instance_norm` | `running_mean=None`, `running_var=None`, `weight=None`, `bias=None`, `use_input_stats=true`, `momentum=0.1`, `eps=1e-5` (tensors cannot be followed: leave them `None`) |
//! | `group_norm` | `num_groups` (divides the input's channels), `weight=None`, `bias=None`, `eps=1e-5` |
//! | `layer_norm` | `normalized_shape`, `weight=None`, `bias=None`, `eps=1e-5` |
//! | `local_response_norm` | as `LocalResponseNorm` |
//! | `normalize` | `p=2.0`, `dim=1`, `eps=1e-12` |
//! | `interpolate` | as `Upsample`, and `antialias=false` |
//! | `upsample`, `upsample_nearest`, `upsample_bilinear` | as `Upsample`, `UpsamplingNearest2d`, `UpsamplingBilinear2d` |
//! | `pixel_shuffle`, `pixel_unshuffle`, `channel_shuffle` | as their modules |
//! | `pad` | `pad` (two values per padded dim, last dim first), `mode="constant"` (`"reflect"`, `"replicate"`, `"circular"`), `value=None` |
//! | `flatten` (`torch.flatten`) | `start_dim=0`, `end_dim=-1`; from dim 0 is an error (it merges the batch): write `flatten(1)` |
//! | `unflatten` | `dim`, `sizes` |
//! | `view`, `reshape` | sizes, as positional arguments or one tuple: the first is the batch (`-1` or `x.size(0)`), the rest one sample's shape with at most one `-1` |
//! | `transpose` | `dim0`, `dim1` (not the batch) |
//! | `permute` | dims, keeping the batch, dim 0, first |
//! | `select` | `dim`, `index` (negative counts from the end): `x.select(dim, index)`, `x[:, 0]` | the dim goes |
//! | `contiguous` | — |
//! | `mean`, `sum`, `amax` | `dim` (int or tuple, not the batch), `keepdim=false` |
//! | `squeeze` | `dim=None` |
//! | `unsqueeze` | `dim` |
//! | `chunk` | `chunks`, `dim=0`: bound as `let (a, b) = chunk(2, dim = 1)`; the size must divide evenly |
//! | `split` | `split_size_or_sections` (a size that divides, or sizes that add up), `dim=0`: bound with `let` |
//! | `unbind` | `dim=0`: bound with `let` |
//! | `dropout`, `dropout1d`, `dropout2d`, `dropout3d` | `p=0.5`, `training=true`, `inplace=false` |
//! | `alpha_dropout`, `feature_alpha_dropout` | `p=0.5`, `training=false`, `inplace=false` |
//! | `relu`, `relu6`, `selu`, `silu`, `mish`, `hardswish`, `hardsigmoid` | `inplace=false` |
//! | `leaky_relu`, `elu`, `celu`, `gelu`, `hardtanh`, `softplus`, `threshold`, `hardshrink`, `softshrink`, `glu` | as their modules |
//! | `rrelu` | `lower=1/8`, `upper=1/3`, `training=false`, `inplace=false` |
//! | `sigmoid`, `tanh`, `logsigmoid`, `softsign`, `tanhshrink` | — |
//! | `softmax`, `log_softmax`, `softmin` | `dim=None` |
//! | `stochastic_depth` | `p`, `mode` |
//!
//! The joins (`add`, `sub`, `mul`, `div`, `cat`, `stack`) take branches (and
//! `cat` and `stack` a `dim`); they are on the
//! [`graphs`](crate::reference::graphs#joins) page.
//!
//! The functional forms of layers with parameters (`F.conv2d`, `F.linear`,
//! `F.batch_norm`) take weight tensors and are not available; use the modules.
//!
//! # Pools, padding, resizing and reductions
//!
//! ```
//! use netshape::network;
//!
//! network! {
//!     pub struct Functional {
//!         input: [3, 16, 16],
//!         conv: Conv2d(3, 8, 3, padding = 1),
//!         relu(inplace = true),
//!         max_pool2d(2),
//!         pad((1, 1, 1, 1), mode = "reflect"),
//!         interpolate(size = (16, 16), mode = "nearest"),
//!         let (a, b) = chunk(2, dim = 1),
//!         cat(b, a, dim = 1),
//!         mean(dim = (2, 3)),
//!         unsqueeze(1),
//!         view(x.size(0), -1),
//!         normalize(dim = 1),
//!         log_softmax(dim = -1),
//!     }
//! }
//!
//! let steps: Vec<_> = Functional::LAYERS.iter().map(|layer| (layer.kind, layer.output)).collect();
//! assert_eq!(
//!     steps,
//!     [
//!         ("Conv2d", &[8, 16, 16][..]),
//!         ("relu", &[8, 16, 16]),
//!         ("max_pool2d", &[8, 8, 8]),
//!         ("pad", &[8, 10, 10]),
//!         ("interpolate", &[8, 16, 16]),
//!         ("chunk", &[4, 16, 16]),
//!         ("cat", &[8, 16, 16]),
//!         ("mean", &[8]),
//!         ("unsqueeze", &[1, 8]),
//!         ("view", &[8]),
//!         ("normalize", &[8]),
//!         ("log_softmax", &[8]),
//!     ]
//! );
//! // Only the module is a row, and only it owns parameters.
//! assert_eq!(Functional::SUMMARY.rows().count(), 1);
//! assert_eq!(Functional::TOTAL_PARAMS, 3 * 8 * 9 + 8);
//! ```
//!
//! # Dims and reshapes
//!
//! A `view` or `chunk` shares its input's memory, as the layer's `view` flag
//! says; a `reshape` of a transposed tensor copies, as in PyTorch.
//!
//! ```
//! use netshape::network;
//!
//! network! {
//!     pub struct Dims {
//!         input: [10, 32],
//!         transpose(1, 2),
//!         layer_norm(10),
//!         permute(0, 2, 1),
//!         reshape(-1, 5, 64),
//!         let (a, b, c) = split((2, 2, 1), dim = 1),
//!         add(a, b),
//!         sum(dim = 1, keepdim = true),
//!         squeeze(1),
//!         amax(dim = -1),
//!     }
//! }
//!
//! let steps: Vec<_> = Dims::LAYERS.iter().map(|layer| (layer.kind, layer.output, layer.view)).collect();
//! assert_eq!(
//!     steps,
//!     [
//!         ("transpose", &[32, 10][..], true),
//!         ("layer_norm", &[32, 10], false),
//!         ("permute", &[10, 32], true),
//!         ("reshape", &[5, 64], false),
//!         ("split", &[2, 64], true),
//!         ("add", &[2, 64], false),
//!         ("sum", &[1, 64], false),
//!         ("squeeze", &[64], true),
//!         ("amax", &[], false),
//!     ]
//! );
//! ```
//!
//! # Mistakes
//!
//! ```compile_fail
//! netshape::network! {
//!     pub struct Net {
//!         input: [15, 8, 8],
//!         let (left, right) = chunk(2, dim = 1),   // 15 does not divide: use `split((8, 7), dim = 1)`
//!         left,
//!     }
//! }
//! ```
//!
//! ```compile_fail
//! netshape::network! {
//!     pub struct Net {
//!         input: [10, 32],
//!         transpose(0, 1),                         // dim 0 is the batch
//!     }
//! }
//! ```
