//! Normalisation.
//!
//! | Layer | Arguments (defaults) | Input → output |
//! | --- | --- | --- |
//! | `BatchNorm1d`, `BatchNorm2d`, `BatchNorm3d` | `num_features`, `eps=1e-5`, `momentum=0.1`, `affine=true`, `track_running_stats=true` | `[C]` or `[C, L]`, `[C, H, W]`, `[C, D, H, W]`, unchanged; weight, bias `[C]` if affine; running_mean, running_var `[C]`, num_batches_tracked `[]` if tracking |
//! | `InstanceNorm1d`, `InstanceNorm2d`, `InstanceNorm3d` | `num_features`, `eps=1e-5`, `momentum=0.1`, `affine=false`, `track_running_stats=false` | `[C, *spatial]` unchanged (more than one value per channel unless tracking); as `BatchNorm` for what it stores; without `affine` or tracking the channels are not compared, as in PyTorch |
//! | `GroupNorm` | `num_groups` (divides `num_channels`), `num_channels`, `eps=1e-5`, `affine=true` | `[C, *]` unchanged; weight, bias `[C]` |
//! | `LayerNorm` | `normalized_shape` (int or tuple: the trailing dims), `eps=1e-5`, `elementwise_affine=true`, `bias=true` | `[*, *normalized_shape]` unchanged; weight, bias of `normalized_shape` |
//! | `LayerNorm2d` | as `LayerNorm`, `normalized_shape` the channels (torchvision's, ConvNeXt's) | `[C, *spatial]` unchanged, normalised over `C`; weight, bias of `[C]` |
//! | `LocalResponseNorm` | `size`, `alpha=1e-4`, `beta=0.75`, `k=1.0` | `[C, *]` unchanged |
//!
//! The functional forms (`instance_norm`, `group_norm`, `layer_norm`,
//! `local_response_norm`, `normalize`) are on the
//! [`functional`](super::functional) page. Running statistics are buffers:
//! `BUFFERS` counts them, `TOTAL_PARAMS` does not.
//!
//! ```
//! use netshape::network;
//!
//! network! {
//!     pub struct Norms {
//!         input: [16, 8, 8],
//!         bn: BatchNorm2d(16),
//!         gn: GroupNorm(4, 16),
//!         inorm: InstanceNorm2d(16, affine = true),
//!         ln: LayerNorm((8, 8)),
//!         lrn: LocalResponseNorm(2),
//!     }
//!
//!     pub struct Features {
//!         input: [50],
//!         bn: BatchNorm1d(50, affine = false),
//!         fc: Linear(50, 20, bias = false),
//!     }
//! }
//!
//! assert_eq!(Norms::OUTPUT_SHAPE, [16, 8, 8]);
//! assert_eq!(Norms::TOTAL_PARAMS, 2 * 16 + 2 * 16 + 2 * 16 + 2 * 64);
//! assert_eq!(Norms::BUFFERS, 16 + 16 + 1);
//! let state: Vec<_> = Norms::STATE_DICT.iter().map(|entry| (entry.key, entry.shape, entry.buffer)).collect();
//! assert_eq!(
//!     state,
//!     [
//!         ("bn.weight", &[16][..], false),
//!         ("bn.bias", &[16], false),
//!         ("bn.running_mean", &[16], true),
//!         ("bn.running_var", &[16], true),
//!         ("bn.num_batches_tracked", &[], true),
//!         ("gn.weight", &[16], false),
//!         ("gn.bias", &[16], false),
//!         ("inorm.weight", &[16], false),
//!         ("inorm.bias", &[16], false),
//!         ("ln.weight", &[8, 8], false),
//!         ("ln.bias", &[8, 8], false),
//!     ]
//! );
//! let _: netshape::nn::BatchNorm2d<16, true, true> = Norms::default().bn;
//!
//! // Without `affine` a batch norm has no parameters, only its statistics.
//! assert_eq!((Features::LAYERS[0].params, Features::LAYERS[0].buffers), (0, 50 + 50 + 1));
//! ```
//!
//! Checked: `num_features` against the input's channels, `num_groups` dividing
//! `num_channels`, `normalized_shape` against the trailing dims, and the input's
//! rank for each.
//!
//! ```compile_fail
//! netshape::network! {
//!     pub struct Net {
//!         input: [16, 8, 8],
//!         gn: GroupNorm(5, 16),
//!     }
//! }
//! ```
//!
//! ```compile_fail
//! netshape::network! {
//!     pub struct Net {
//!         input: [16, 8, 8],
//!         bn: BatchNorm2d(32),
//!     }
//! }
//! ```
