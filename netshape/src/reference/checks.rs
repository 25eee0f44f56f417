//! What is checked at compile time.
//!
//! Every rule PyTorch enforces for these layers, each error at the smallest
//! offending token with the numbers that disagree and where they came from:
//!
//! - channel and feature counts: `in_channels` against the input's channels,
//!   `num_features` of batch norms, `in_features` of `Linear` (after `view` or
//!   `flatten`, the error shows the product: `320 (20 × 4 × 4 after view)`);
//! - the input's number of dimensions for each layer;
//! - a (dilated) kernel larger than the padded input; a pool whose output would
//!   be empty; pool padding over half the kernel; `AvgPool3d`'s input smaller
//!   than its kernel;
//! - `groups` not dividing `in_channels` or `out_channels`; `padding = "same"`
//!   with a stride; reflect padding not smaller than the input, circular padding
//!   larger;
//! - `dim` arguments out of range; `flatten` dims in the wrong order or merging
//!   the batch; `view` sizes that do not multiply out, a second `-1`, a zero
//!   size;
//! - every constructor and forward rule of the layers in the
//!   [`layers`](super::layers) reference: transposed convs' `output_padding`,
//!   norms' groups and shapes, embeddings' `padding_idx` and index inputs, RNN
//!   input sizes and `proj_size`, attention's heads and key/value sizes,
//!   upsampling's size, scale, mode and rank, shuffles' divisibility, padding
//!   widths, `Fold`'s blocks, activations' bounds;
//! - joins: `add`/`mul` operands that do not broadcast and `cat` operands that
//!   differ elsewhere than along `dim` (the error names both shapes), a `chunk`
//!   that does not divide, a split bound to the wrong number of names;
//! - blocks: missing, unknown or repeated parameters, the wrong number of
//!   inputs, and every rule inside them, reported at the call with the
//!   instance's path;
//! - unknown layers, arguments, constants and values (with "did you mean"),
//!   arguments given twice, missing required arguments, values of the wrong
//!   type or out of range (dropout's `p`), tuples of the wrong length, duplicate
//!   layer names, empty networks, a missing `input`.
//!
//! The crate's `tests/ui/` holds one compile-fail case per mistake with the
//! compiler's output. Some of them:
//!
//! ```compile_fail
//! netshape::network! {
//!     pub struct Net {
//!         input: [1, 28, 28],
//!         conv1: Conv2d(1, 10, kernel_size = 5),
//!         max_pool2d(2),
//!         conv2: Conv2d(10, 20, kernel_size = 5),
//!         max_pool2d(2),
//!         view(-1, 320),
//!         fc1: Linear(300, 50),
//!     }
//! }
//! ```
//!
//! ```text
//! error: `Linear` expects 300 input features, but its input has 320 (20 × 4 × 4 after `view`)
//! ```
//!
//! ```compile_fail
//! netshape::network! {
//!     pub struct Net {
//!         input: [3, 32, 32],
//!         conv1: Conv2D(3, 16, kernel_size = 3),
//!     }
//! }
//! ```
//!
//! ```text
//! error: unknown layer `Conv2D`; did you mean `Conv2d`?
//! ```
//!
//! ```compile_fail
//! netshape::network! {
//!     pub block Residual(channels) {
//!         add([conv: Conv2d(channels, channels * 2, 3, padding = 1)], []),
//!     }
//!
//!     pub struct Net {
//!         input: [16, 32, 32],
//!         block: Residual(16),
//!     }
//! }
//! ```
//!
//! ```text
//! error: in `block` (`Residual(16)`): `add` cannot broadcast [32, 32, 32] (from `conv`) with operand 2 of [16, 32, 32] (from `input`): dim 1 is 32 on one side and 16 on the other, and neither is 1
//! ```
//!
//! ```compile_fail
//! netshape::network! {
//!     pub block Residual(channels) {
//!         add([conv: Conv2d(channels, channels, 3, padding = 1)], []),
//!     }
//!
//!     pub struct Net {
//!         input: [16, 32, 32],
//!         block: Residual(16, stride = 2),     // `Residual` has no `stride`
//!     }
//! }
//! ```
//!
//! The same network without the mistake compiles:
//!
//! ```
//! netshape::network! {
//!     pub block Residual(channels) {
//!         add([conv: Conv2d(channels, channels, 3, padding = 1)], []),
//!     }
//!
//!     pub struct Net {
//!         input: [16, 32, 32],
//!         block: Residual(16),
//!     }
//! }
//!
//! assert_eq!(Net::OUTPUT_SHAPE, [16, 32, 32]);
//! ```
//!
//! # After a mistake
//!
//! Independent mistakes are all reported in one build; the consequences of one
//! are not. A conv with the wrong `in_channels` still outputs the channels it
//! declares, so later layers are checked against what was meant; after a
//! mistake whose output is unknown, later layers are checked only for their own
//! arguments. After any error the struct still exists with all its consts, and
//! code that uses it reports nothing further. Three mistakes, three errors, and
//! none for `bn1` or `fc`:
//!
//! ```compile_fail
//! netshape::network! {
//!     pub struct Net {
//!         input: [1, 28, 28],
//!         conv1: Conv2d(3, 16, kernel_size = 3),
//!         bn1: BatchNorm2d(16),
//!         dropout(p = 1.5),
//!         flatten(1),
//!         fc: Linear(16 * 26 * 26, 10),
//!         Softmax(dim = 3),
//!     }
//! }
//! ```
//!
//! ```text
//! error: `Conv2d` expects 3 input channels, but its input has 1 (from `input`)
//! error: `p` is a probability and must be from 0 to 1, found 1.5
//! error: `dim` 3 is out of range for the input [N, 10]: dims count the batch, as in PyTorch, so `dim` must be from -2 to 1
//! ```
