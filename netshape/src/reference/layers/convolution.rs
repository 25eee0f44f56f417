//! Convolutions, pools, folds.
//!
//! | Layer | Arguments (defaults) | Input → output |
//! | --- | --- | --- |
//! | `Conv1d`, `Conv2d`, `Conv3d` | `in_channels`, `out_channels`, `kernel_size`, `stride=1`, `padding=0` (int, tuple, `"same"` or `"valid"`), `dilation=1`, `groups=1`, `bias=true`, `padding_mode="zeros"` (`"reflect"`, `"replicate"`, `"circular"`) | `[in_channels, *spatial]` → `[out_channels, *out]`; weight `[out, in/groups, *kernel]`, bias `[out]` |
//! | `ConvTranspose1d`, `ConvTranspose2d`, `ConvTranspose3d` | `in_channels`, `out_channels`, `kernel_size`, `stride=1`, `padding=0`, `output_padding=0` (smaller than `stride` or `dilation`), `groups=1`, `bias=true`, `dilation=1`, `padding_mode="zeros"` (the only mode) | `[in_channels, *spatial]` → `[out_channels, *out]`; weight `[in, out/groups, *kernel]`, bias `[out]` |
//! | `MaxPool1d`, `MaxPool2d`, `MaxPool3d` | `kernel_size`, `stride=kernel_size`, `padding=0` (at most half the kernel), `dilation=1`, `return_indices=false`, `ceil_mode=false` | `[C, *spatial]` → `[C, *out]` |
//! | `AvgPool1d` | `kernel_size`, `stride=kernel_size`, `padding=0`, `ceil_mode=false`, `count_include_pad=true` | `[C, L]` → `[C, out]` |
//! | `AvgPool2d`, `AvgPool3d` | as `AvgPool1d`, and `divisor_override=None` | `[C, *spatial]` → `[C, *out]` |
//! | `AdaptiveAvgPool1d`, `AdaptiveAvgPool2d`, `AdaptiveAvgPool3d` | `output_size` (int or tuple; in 2d and 3d, `None` keeps that axis) | `[C, *spatial]` → `[C, *output_size]` |
//! | `AdaptiveMaxPool1d`, `AdaptiveMaxPool2d`, `AdaptiveMaxPool3d` | `output_size`, `return_indices=false` | `[C, *spatial]` → `[C, *output_size]` |
//! | `Unfold` | `kernel_size`, `dilation=1`, `padding=0`, `stride=1` | `[C, H, W]` → `[C·kh·kw, blocks]` |
//! | `Fold` | `output_size`, `kernel_size`, `dilation=1`, `padding=0`, `stride=1` | `[C·kh·kw, blocks]` → `[C, *output_size]`; the blocks must be those of `output_size` |
//!
//! The sizes follow PyTorch's formulas (see [`layers`](super)); the functional
//! forms (`max_pool2d`, `avg_pool1d`, `adaptive_avg_pool2d`, `unfold`, …) are on
//! the [`functional`](super::functional) page. A pool's `return_indices = true`
//! is an error: the pool would return a second tensor, which netshape does not
//! follow.
//!
//! # 2-d: convolutions, a depthwise convolution, pools, a transposed convolution
//!
//! ```
//! use netshape::network;
//!
//! network! {
//!     pub struct Convs {
//!         input: [3, 32, 32],
//!         conv: Conv2d(3, 16, 3, padding = "same"),
//!         depthwise: Conv2d(16, 16, 3, stride = 2, padding = 1, groups = 16, bias = false),
//!         pool: MaxPool2d(2),
//!         AvgPool2d(3, stride = 1, padding = 1, count_include_pad = false),
//!         up: ConvTranspose2d(16, 8, 2, stride = 2),
//!         AdaptiveAvgPool2d((4, None)),       // `None` keeps the width
//!     }
//! }
//!
//! let shapes: Vec<_> = Convs::LAYERS.iter().map(|layer| layer.output).collect();
//! assert_eq!(shapes, [&[16, 32, 32][..], &[16, 16, 16], &[16, 8, 8], &[16, 8, 8], &[8, 16, 16], &[8, 4, 16]]);
//!
//! let state: Vec<_> = Convs::STATE_DICT.iter().map(|entry| (entry.key, entry.shape)).collect();
//! assert_eq!(
//!     state,
//!     [
//!         ("conv.weight", &[16, 3, 3, 3][..]),
//!         ("conv.bias", &[16]),
//!         ("depthwise.weight", &[16, 1, 3, 3]),   // [out, in/groups, *kernel]
//!         ("up.weight", &[16, 8, 2, 2]),          // [in, out/groups, *kernel]
//!         ("up.bias", &[8]),
//!     ]
//! );
//! assert_eq!(Convs::TOTAL_PARAMS, 448 + 144 + 520);
//!
//! // The field types carry in, out, kernel, groups and bias.
//! let convs = Convs::default();
//! let _: netshape::nn::Conv2d<16, 16, 3, 3, 16, false> = convs.depthwise;
//! let _: netshape::nn::ConvTranspose2d<16, 8, 2, 2> = convs.up;
//! ```
//!
//! # 1-d and 3-d
//!
//! ```
//! use netshape::network;
//!
//! network! {
//!     pub struct Signal {
//!         input: [4, 102],
//!         conv: Conv1d(4, 8, 5, dilation = 2),    // 102 − 2·4 = 94
//!         MaxPool1d(3, ceil_mode = true),         // ceil(91 / 3) + 1 = 32
//!         avg_pool1d(2),
//!         AdaptiveMaxPool1d(4),
//!     }
//!
//!     pub struct Volume {
//!         input: [1, 8, 16, 16],
//!         conv: Conv3d(1, 4, (3, 5, 5), padding = (1, 2, 2), padding_mode = "replicate"),
//!         MaxPool3d((1, 2, 2)),
//!         AvgPool3d(2, divisor_override = 3),
//!         AdaptiveMaxPool3d(1),
//!     }
//! }
//!
//! let signal: Vec<_> = Signal::LAYERS.iter().map(|layer| layer.output).collect();
//! assert_eq!(signal, [&[8, 94][..], &[8, 32], &[8, 16], &[8, 4]]);
//! assert_eq!(Signal::STATE_DICT[0].shape, [8, 4, 5]);
//!
//! let volume: Vec<_> = Volume::LAYERS.iter().map(|layer| layer.output).collect();
//! assert_eq!(volume, [&[4, 8, 16, 16][..], &[4, 8, 8, 8], &[4, 4, 4, 4], &[4, 1, 1, 1]]);
//! assert_eq!(Volume::TOTAL_PARAMS, 4 * 3 * 5 * 5 + 4);
//! ```
//!
//! # Unfold and Fold
//!
//! ```
//! netshape::network! {
//!     pub struct Patches {
//!         input: [3, 8, 8],
//!         Unfold(kernel_size = 2, stride = 2),                        // 16 blocks of 3·2·2
//!         Fold(output_size = (8, 8), kernel_size = 2, stride = 2),
//!     }
//! }
//!
//! assert_eq!(Patches::LAYERS[0].output, [12, 16]);
//! assert_eq!(Patches::OUTPUT_SHAPE, [3, 8, 8]);
//! ```
//!
//! # Mistakes
//!
//! `padding = "same"` with a stride is an error, as in PyTorch:
//!
//! ```compile_fail
//! netshape::network! {
//!     pub struct Net {
//!         input: [3, 32, 32],
//!         conv: Conv2d(3, 16, 3, stride = 2, padding = "same"),
//!     }
//! }
//! ```
//!
//! So are `groups` that do not divide the channels, a (dilated) kernel larger
//! than the padded input, and pool padding over half the kernel:
//!
//! ```compile_fail
//! netshape::network! {
//!     pub struct Net {
//!         input: [3, 32, 32],
//!         pool: MaxPool2d(2, padding = 2),
//!     }
//! }
//! ```
//!
//! ```compile_fail
//! netshape::network! {
//!     pub struct Net {
//!         input: [6, 32, 32],
//!         conv: Conv2d(6, 16, 3, groups = 4),
//!     }
//! }
//! ```
