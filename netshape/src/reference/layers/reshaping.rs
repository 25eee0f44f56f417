//! Resizing, padding, reshaping.
//!
//! | Layer | Arguments (defaults) | Input → output |
//! | --- | --- | --- |
//! | `Upsample` | `size=None` or `scale_factor=None` (exactly one; int or tuple), `mode="nearest"` (`"linear"`, `"bilinear"`, `"bicubic"`, `"trilinear"`, `"area"`, `"nearest-exact"`), `align_corners=None` (interpolating modes only), `recompute_scale_factor=None` | `[C, *spatial]` (1 to 3 spatial axes; linear 1, bilinear and bicubic 2, trilinear 3) → `[C, *size]` or `[C, floor(in·scale)…]` |
//! | `UpsamplingNearest2d`, `UpsamplingBilinear2d` | `size=None`, `scale_factor=None` | as `Upsample` in `"nearest"`, or `"bilinear"` with `align_corners=true` |
//! | `PixelShuffle` | `upscale_factor` `r` | `[*, C·r², H, W]` → `[*, C, H·r, W·r]` |
//! | `PixelUnshuffle` | `downscale_factor` `r` | `[*, C, H·r, W·r]` → `[*, C·r², H, W]` |
//! | `ChannelShuffle` | `groups` (divides the channels) | `[C, *]` unchanged |
//! | `ZeroPad1d`, `ZeroPad2d`, `ZeroPad3d` | `padding` (int, or two per padded dim, last dim first; negative values crop) | pads the last N dims |
//! | `ConstantPad1d`, `ConstantPad2d`, `ConstantPad3d` | `padding`, `value` | as `ZeroPad` |
//! | `ReflectionPad1d`, `ReflectionPad2d`, `ReflectionPad3d` | `padding` (smaller than the input) | `[C, *spatial]` or `[*spatial]`, the last N dims padded |
//! | `ReplicationPad1d`, `ReplicationPad2d`, `ReplicationPad3d` | `padding` | as `ReflectionPad` |
//! | `CircularPad1d`, `CircularPad2d`, `CircularPad3d` | `padding` (at most the input) | as `ReflectionPad` |
//! | `Flatten` | `start_dim=1`, `end_dim=-1` | merges dims `start_dim..=end_dim` (batched numbering) |
//! | `Unflatten` | `dim`, `unflattened_size` (one `-1` allowed) | splits `dim` into `unflattened_size` |
//! | `Permute` | `dims` (torchvision's `ops.misc.Permute`: the `permute` function as a module, numbered in its sequence) | as `permute` |
//!
//! The functional forms (`interpolate`, `pad`, `pixel_shuffle`, `flatten`,
//! `view`, `permute`, …) are on the [`functional`](super::functional) page.
//!
//! ```
//! use netshape::network;
//!
//! network! {
//!     pub struct Resize {
//!         input: [8, 16, 16],
//!         Upsample(scale_factor = 2, mode = "bilinear", align_corners = false),
//!         PixelUnshuffle(2),
//!         ChannelShuffle(4),
//!         PixelShuffle(4),
//!         ZeroPad2d((1, 1, 2, 2)),            // left, right, top, bottom
//!         ReflectionPad2d(1),
//!         ReplicationPad2d((0, 2, 0, 0)),
//!         CircularPad2d(-1),                  // negative: crops
//!         Flatten(),
//!         Unflatten(1, (2, -1)),
//!     }
//!
//!     pub struct Sequence {
//!         input: [4, 10],
//!         ConstantPad1d((2, 3), 0.5),
//!         Upsample(size = 30, mode = "linear"),
//!     }
//! }
//!
//! let shapes: Vec<_> = Resize::LAYERS.iter().map(|layer| layer.output).collect();
//! assert_eq!(
//!     shapes,
//!     [
//!         &[8, 32, 32][..],
//!         &[32, 16, 16],
//!         &[32, 16, 16],
//!         &[2, 64, 64],
//!         &[2, 68, 66],
//!         &[2, 70, 68],
//!         &[2, 70, 70],
//!         &[2, 68, 68],
//!         &[9248],
//!         &[2, 4624],
//!     ]
//! );
//! assert_eq!(Resize::TOTAL_PARAMS, 0);
//! assert_eq!(Sequence::LAYERS[0].output, [4, 15]);
//! assert_eq!(Sequence::OUTPUT_SHAPE, [4, 30]);
//! ```
//!
//! Checked: upsampling's size, scale, mode and rank, shuffles' divisibility,
//! padding widths against the input, `Unflatten`'s sizes against the dim.
//!
//! ```compile_fail
//! netshape::network! {
//!     pub struct Net {
//!         input: [3, 16, 16],
//!         ReflectionPad2d(16),                // reflect padding must be smaller than the input
//!     }
//! }
//! ```
//!
//! ```compile_fail
//! netshape::network! {
//!     pub struct Net {
//!         input: [3, 16, 16],
//!         Upsample(scale_factor = 2, mode = "trilinear"),   // trilinear needs 3 spatial axes
//!     }
//! }
//! ```
