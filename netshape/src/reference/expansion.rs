//! What `network!` expands to.
//!
//! For `pub struct Net { … }`:
//!
//! - `pub struct Net` with one typed field per layer that stores tensors; the
//!   field's type carries the dimensions as const generics, so the parameter
//!   layout is in the type: `conv1: netshape::nn::Conv2d<1, 10, 5, 5, 1, true>`
//!   (in, out, kernel, groups, bias), `fc1: netshape::nn::Linear<320, 50, true>`,
//!   `bn1: netshape::nn::BatchNorm2d<64, true, true>` (features, affine,
//!   track_running_stats), `lstm: netshape::nn::LSTM<300, 512, 2, true, true>`
//!   (see [`nn`](crate::nn)). Modules inside blocks and sequences are fields
//!   too, named by their path: `layer2_0_conv1`, `features_0`. The struct
//!   derives `Debug`, `Clone`, `Copy`, `Default`, `PartialEq`, `Eq`, `Hash`.
//! - Inherent consts, usable in const context: `INPUT_SHAPE: [usize; 3]`,
//!   `OUTPUT_SHAPE: [usize; 1]` (the first input's and output's),
//!   `INPUT_SHAPES`, `OUTPUT_SHAPES` (all of them), `TOTAL_PARAMS`,
//!   `TRAINABLE_PARAMS`, `NON_TRAINABLE_PARAMS`, `BUFFERS` (running
//!   statistics), `LAYERS: &[netshape::Layer]` (every step in call order,
//!   functional ops and blocks' rows included: path, kind, depth, input and
//!   output shape, further outputs such as an LSTM's `h_n`, params, trainable,
//!   buffers, where its inputs come from, and the figures of the
//!   [`analysis`](super::analysis) page: receptive field, mult-adds, kernel,
//!   groups, in-place and view; see [`Layer`](crate::Layer)),
//!   `STATE_DICT: &[netshape::StateEntry]` (every key with its shape,
//!   parameters and buffers, in PyTorch's order: `conv1.weight [10, 1, 5, 5]`,
//!   `bn1.num_batches_tracked []`), and `SUMMARY: netshape::Summary`, whose
//!   `Display` is torchsummary's table.
//! - `impl netshape::Network for Net`, with `type Input =
//!   netshape::Tensor3<1, 28, 28>`, `type Output = netshape::Tensor1<10>`
//!   (tuples of them for several) and the same consts, for generic code (see
//!   [`Network`](crate::Network)).
//! - With the `runtime` feature, `impl netshape::program::Runnable for Net`:
//!   the forward program `PROGRAM`, which `netshape::runtime::Model<Net>` runs.
//!   After a mistake the stand-in implements it too, with an empty program, so
//!   code that runs the network reports nothing more.
//! - Docs: the struct's rustdoc carries the table, each field states its call,
//!   input and output shapes, parameter count and `state_dict` entries, each
//!   const its value, so `cargo doc` and an editor's hover show them.
//!
//! ```
//! use netshape::network;
//!
//! network! {
//!     /// The MNIST classifier from the torchsummary README.
//!     pub struct Net {
//!         input: [1, 28, 28],
//!         conv1: Conv2d(1, 10, kernel_size = 5),
//!         max_pool2d(2),
//!         relu(),
//!         conv2: Conv2d(10, 20, kernel_size = 5),
//!         conv2_drop: Dropout2d(),
//!         max_pool2d(2),
//!         relu(),
//!         view(-1, 320),
//!         fc1: Linear(320, 50),
//!         relu(),
//!         dropout(),
//!         fc2: Linear(50, 10),
//!         log_softmax(dim = 1),
//!     }
//! }
//!
//! // Usable in const context.
//! const _: () = assert!(Net::TOTAL_PARAMS == 21_840);
//!
//! let net = Net::default();
//! let _: netshape::nn::Conv2d<1, 10, 5, 5, 1, true> = net.conv1;
//! let _: netshape::nn::Linear<320, 50, true> = net.fc1;
//! assert_eq!(Net::INPUT_SHAPE, [1, 28, 28]);
//! assert_eq!(Net::OUTPUT_SHAPE, [10]);
//! assert_eq!(Net::INPUT_SHAPES, [&[1, 28, 28][..]]);
//! assert_eq!((Net::TRAINABLE_PARAMS, Net::NON_TRAINABLE_PARAMS, Net::BUFFERS), (21_840, 0, 0));
//! assert_eq!(Net::LAYERS.len(), 13);
//! assert_eq!((Net::LAYERS[7].kind, Net::LAYERS[7].output), ("view", &[320][..]));
//! assert_eq!(Net::STATE_DICT.len(), 8);
//! assert_eq!((Net::STATE_DICT[2].key, Net::STATE_DICT[2].shape), ("conv2.weight", &[20, 10, 5, 5][..]));
//!
//! // The same, for generic code.
//! fn parameters<N: netshape::Network>() -> usize {
//!     N::TOTAL_PARAMS
//! }
//! assert_eq!(parameters::<Net>(), 21_840);
//! let _: <Net as netshape::Network>::Input = netshape::Tensor3::<1, 28, 28>;
//! let _: <Net as netshape::Network>::Output = netshape::Tensor1::<10>;
//! ```
//!
//! # torchsummary's table
//!
//! `Summary`'s `Display` reproduces torchsummary 1.5.1 exactly, including its
//! arithmetic: rows are module calls (a module called twice is two rows, and
//! its parameters count twice in torchsummary's total), sizes are MiB of 4-byte
//! floats, the forward/backward size doubles every row's output, and the input
//! size multiplies the dimensions of all inputs together. Where torchsummary
//! crashes or miscounts, the table shows what it would have shown had it
//! worked: DenseNet (whose layers take lists) gets its table; an RNN or
//! attention row shows all its parameters (torchsummary counts only attributes
//! named `weight` and `bias`, so 0) and all its outputs, `[[-1, 10, 512], [2,
//! -1, 512], [2, -1, 512]]` for an LSTM's output, `h_n` and `c_n` (whose batch
//! is their second dim).
//!
//! ```
//! # use netshape::network;
//! #
//! # network! {
//! #     /// The MNIST classifier from the torchsummary README.
//! #     pub struct Net {
//! #         input: [1, 28, 28],
//! #         conv1: Conv2d(1, 10, kernel_size = 5),
//! #         max_pool2d(2),
//! #         relu(),
//! #         conv2: Conv2d(10, 20, kernel_size = 5),
//! #         conv2_drop: Dropout2d(),
//! #         max_pool2d(2),
//! #         relu(),
//! #         view(-1, 320),
//! #         fc1: Linear(320, 50),
//! #         relu(),
//! #         dropout(),
//! #         fc2: Linear(50, 10),
//! #         log_softmax(dim = 1),
//! #     }
//! # }
//! assert_eq!(
//!     Net::SUMMARY.to_string(),
//!     "\
//! ----------------------------------------------------------------
//!         Layer (type)               Output Shape         Param #
//! ================================================================
//!             Conv2d-1           [-1, 10, 24, 24]             260
//!             Conv2d-2             [-1, 20, 8, 8]           5,020
//!          Dropout2d-3             [-1, 20, 8, 8]               0
//!             Linear-4                   [-1, 50]          16,050
//!             Linear-5                   [-1, 10]             510
//! ================================================================
//! Total params: 21,840
//! Trainable params: 21,840
//! Non-trainable params: 0
//! ----------------------------------------------------------------
//! Input size (MB): 0.00
//! Forward/backward pass size (MB): 0.06
//! Params size (MB): 0.08
//! Estimated Total Size (MB): 0.15
//! ----------------------------------------------------------------
//! "
//! );
//! ```
//!
//! # torchinfo's view
//!
//! `SUMMARY.torchinfo()` prints what torchinfo 1.8.0's `summary(model,
//! input_size=(1, *input))` prints, byte for byte: every module call,
//! containers and blocks included, as a tree in call order down to depth 3,
//! with torchinfo's arithmetic (parameters once per module, `(recursive)` on a
//! second call, frozen counts in parentheses; its mult-adds, for which a batch
//! norm's parameters count once per sample; MB of 10⁶ bytes, only layers with
//! parameters in the forward/backward size). `.columns(&[…])` picks torchinfo's
//! columns (`Column::InputSize`, `OutputSize`, `NumParams`, `ParamsPercent`,
//! `KernelSize`, `MultAdds`, `Trainable`) and netshape's (`Groups`,
//! `ReceptiveField`); `.depth(n)`, `.batch(n)` and `.dtype(Dtype::F16)` are
//! torchinfo's `depth`, batch size and dtype, and `.name("ResNet")` labels the
//! root row (the struct's name by default); see [`TorchInfo`](crate::TorchInfo)
//! and [`Column`](crate::Column). For the MNIST net, exactly as torchinfo
//! prints it for the PyTorch original:
//!
//! ```
//! # use netshape::network;
//! #
//! # network! {
//! #     /// The MNIST classifier from the torchsummary README.
//! #     pub struct Net {
//! #         input: [1, 28, 28],
//! #         conv1: Conv2d(1, 10, kernel_size = 5),
//! #         max_pool2d(2),
//! #         relu(),
//! #         conv2: Conv2d(10, 20, kernel_size = 5),
//! #         conv2_drop: Dropout2d(),
//! #         max_pool2d(2),
//! #         relu(),
//! #         view(-1, 320),
//! #         fc1: Linear(320, 50),
//! #         relu(),
//! #         dropout(),
//! #         fc2: Linear(50, 10),
//! #         log_softmax(dim = 1),
//! #     }
//! # }
//! use netshape::Column;
//!
//! let columns = [Column::OutputSize, Column::NumParams, Column::KernelSize, Column::MultAdds];
//! let view = Net::SUMMARY.torchinfo().columns(&columns).to_string();
//! assert_eq!(
//!     view,
//!     "\
//! ============================================================================================================================================
//! Layer (type:depth-idx)                   Output Shape              Param #                   Kernel Shape              Mult-Adds
//! ============================================================================================================================================
//! Net                                      [1, 10]                   --                        --                        --
//! ├─Conv2d: 1-1                            [1, 10, 24, 24]           260                       [5, 5]                    149,760
//! ├─Conv2d: 1-2                            [1, 20, 8, 8]             5,020                     [5, 5]                    321,280
//! ├─Dropout2d: 1-3                         [1, 20, 8, 8]             --                        --                        --
//! ├─Linear: 1-4                            [1, 50]                   16,050                    --                        16,050
//! ├─Linear: 1-5                            [1, 10]                   510                       --                        510
//! ============================================================================================================================================
//! Total params: 21,840
//! Trainable params: 21,840
//! Non-trainable params: 0
//! Total mult-adds (Units.MEGABYTES): 0.49
//! ============================================================================================================================================
//! Input size (MB): 0.00
//! Forward/backward pass size (MB): 0.06
//! Params size (MB): 0.09
//! Estimated Total Size (MB): 0.15
//! ============================================================================================================================================"
//! );
//! ```
//!
//! The crate's `tests/torchinfo.rs` checks the view against torchinfo's text
//! for the 17 torchvision models of `examples/` (its default columns and six
//! columns) and for other columns, depths, batches, dtypes, frozen layers, an
//! LSTM and attention (`tests/fixtures/torchinfo/`). Sixteen models match byte
//! for byte (ViT-B/16 and ConvNeXt-T with their raw parameters on the rows
//! that own them); in densenet121, the dense layers, which take a list of tensors,
//! show the concatenation as their input shape where torchinfo shows the
//! list's first tensor. Every other cell of it matches.
