//! Receptive fields, mult-adds and memory: what every entry of `LAYERS`
//! carries beyond torchsummary's columns.
//!
//! The examples on this page use the `ResNet18` of the
//! [`graphs`](super::graphs) page and the MNIST `Net` of the
//! [`expansion`](super::expansion) page.
//!
//! # Receptive fields
//!
//! `receptive_field`: per spatial axis, the size `r` of the input window an
//! output unit sees, the jump `j` between neighbouring units (the effective
//! stride) and the `start`, the centre of the first unit's window, in input
//! pixels (pixel 0 spans 0 to 1), by the recursion of Araujo et al., "Computing
//! Receptive Fields of Convolutional Neural Networks" (Distill, 2019), with the
//! dilated kernel `k̂ = d(k − 1) + 1`, through convs, pools, adaptive pools
//! (their widest window), transposed convs, upsampling and padding; where
//! branches join, the widest path's. torchvision's VGG16 `features` gives
//! `r = 212`, `j = 32`; ResNet's stem (conv 7/s2/p3, max pool 3/s2/p1)
//! `r = 11`, `j = 4`; ResNet-18's `layer4` `r = 435`.
//! `SUMMARY.receptive_field()` is the network's, the last step's that still has
//! spatial axes (see [`ReceptiveField`](crate::ReceptiveField)). The crate's
//! `tests/receptive_field.rs` checks 25 small networks, one per case of the
//! recursion, against fields measured with PyTorch's autograd
//! (`tests/fixtures/receptive_field/`).
//!
//! ```
//! # use netshape::network;
//! #
//! # network! {
//! #     pub block BasicBlock(inplanes, planes, stride = 1) {
//! #         add(
//! #             [
//! #                 conv1: Conv2d(inplanes, planes, 3, stride = stride, padding = 1, bias = false),
//! #                 bn1: BatchNorm2d(planes),
//! #                 relu: ReLU(inplace = true),
//! #                 conv2: Conv2d(planes, planes, 3, padding = 1, bias = false),
//! #                 bn2: BatchNorm2d(planes),
//! #             ],
//! #             downsample: [
//! #                 #[allow(netshape::uncovered_input)]
//! #                 Conv2d(inplanes, planes, 1, stride = stride, bias = false),
//! #                 BatchNorm2d(planes),
//! #             ] if stride != 1 || inplanes != planes,
//! #         ),
//! #         relu,
//! #     }
//! #
//! #     #[allow(netshape::receptive_field_exceeds_input)]
//! #     pub struct ResNet18 {
//! #         input: [3, 224, 224],
//! #         conv1: Conv2d(3, 64, kernel_size = 7, stride = 2, padding = 3, bias = false),
//! #         bn1: BatchNorm2d(64),
//! #         relu: ReLU(inplace = true),
//! #         maxpool: MaxPool2d(kernel_size = 3, stride = 2, padding = 1),
//! #         layer1: [BasicBlock(64, 64), BasicBlock(64, 64)],
//! #         layer2: [BasicBlock(64, 128, stride = 2), BasicBlock(128, 128)],
//! #         layer3: [BasicBlock(128, 256, stride = 2), BasicBlock(256, 256)],
//! #         layer4: [BasicBlock(256, 512, stride = 2), BasicBlock(512, 512)],
//! #         avgpool: AdaptiveAvgPool2d((1, 1)),
//! #         flatten(1),
//! #         fc: Linear(512, 1000),
//! #     }
//! # }
//! use netshape::ReceptiveField;
//!
//! let layer = |name| ResNet18::LAYERS.iter().find(|layer| layer.name == name).unwrap();
//! let stem = [ReceptiveField { size: 11.0, jump: 4.0, start: 0.5 }; 2];
//! assert_eq!(layer("maxpool").receptive_field, stem);
//! assert_eq!(layer("layer4").receptive_field[0].size, 435.0);
//! // The network's: the average pool's, the last step with spatial axes, whose
//! // window is layer4's whole 7×7 map.
//! assert_eq!(ResNet18::SUMMARY.receptive_field(), layer("avgpool").receptive_field);
//! assert_eq!(layer("avgpool").receptive_field[0].size, 435.0 + 6.0 * 32.0);
//! ```
//!
//! # Mult-adds
//!
//! `mult_adds` and `bias_adds`: multiply-accumulates of the weights for one
//! sample (a conv's weights once per output position, a linear layer's once per
//! leading position, an RNN's once per step, attention's projections, scores
//! and weighted sum), and the additions of the biases (one per output element).
//! Norms, activations and pools count none. VGG16 at 224×224: 15,470,264,320
//! without biases, 15,483,821,032 with them; fvcore's conv and linear counts
//! equal `mult_adds`, and torchinfo's total equals `mult_adds + bias_adds` plus
//! each batch norm's parameters (tested for VGG16, ResNet-18, ResNet-50 and
//! MobileNetV2 in the crate's `tests/analysis.rs`).
//!
//! `kernel`, `groups`, `inplace`, and `view` (the output shares the input's
//! memory: `view`, `flatten`, `transpose`, `chunk`, `Identity`; a reshape of a
//! transposed tensor copies, as in PyTorch) complete a [`Layer`](crate::Layer).
//!
//! ```
//! use netshape::network;
//!
//! network! {
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
//! let conv1 = &Net::LAYERS[0];
//! // 10 filters of 5×5 at each of 24×24 positions; one bias addition per output element.
//! assert_eq!((conv1.mult_adds, conv1.bias_adds), (10 * 25 * 24 * 24, 10 * 24 * 24));
//! assert_eq!((conv1.kernel, conv1.groups), (&[5, 5][..], 1));
//! let mult_adds: u64 = Net::LAYERS.iter().map(|layer| layer.mult_adds).sum();
//! let bias_adds: u64 = Net::LAYERS.iter().map(|layer| layer.bias_adds).sum();
//! assert_eq!((mult_adds, mult_adds + bias_adds), (480_500, 487_600));
//! assert!(Net::LAYERS[7].view);
//! ```
//!
//! # Memory
//!
//! `SUMMARY.memory(batch, dtype)` is netshape's own memory estimate, in bytes,
//! for a batch of `batch` samples of `netshape::Dtype::{F32, F16, Bf16, I8,
//! F64}`: parameters once (a module called twice is one module), gradients of
//! the trainable ones, buffers (running statistics), the activations the
//! forward pass writes (every call's output, for the whole batch, except
//! in-place ops, views and the rows of blocks, whose output is their last
//! step's) and the input (see [`Memory`](crate::Memory)). Its activation bytes
//! equal what PyTorch's forward pass writes, measured from the storages every
//! ATen op returns (the crate's `tests/fixtures/memory/`). For ResNet-18:
//!
//! ```
//! # use netshape::network;
//! #
//! # network! {
//! #     pub block BasicBlock(inplanes, planes, stride = 1) {
//! #         add(
//! #             [
//! #                 conv1: Conv2d(inplanes, planes, 3, stride = stride, padding = 1, bias = false),
//! #                 bn1: BatchNorm2d(planes),
//! #                 relu: ReLU(inplace = true),
//! #                 conv2: Conv2d(planes, planes, 3, padding = 1, bias = false),
//! #                 bn2: BatchNorm2d(planes),
//! #             ],
//! #             downsample: [
//! #                 #[allow(netshape::uncovered_input)]
//! #                 Conv2d(inplanes, planes, 1, stride = stride, bias = false),
//! #                 BatchNorm2d(planes),
//! #             ] if stride != 1 || inplanes != planes,
//! #         ),
//! #         relu,
//! #     }
//! #
//! #     #[allow(netshape::receptive_field_exceeds_input)]
//! #     pub struct ResNet18 {
//! #         input: [3, 224, 224],
//! #         conv1: Conv2d(3, 64, kernel_size = 7, stride = 2, padding = 3, bias = false),
//! #         bn1: BatchNorm2d(64),
//! #         relu: ReLU(inplace = true),
//! #         maxpool: MaxPool2d(kernel_size = 3, stride = 2, padding = 1),
//! #         layer1: [BasicBlock(64, 64), BasicBlock(64, 64)],
//! #         layer2: [BasicBlock(64, 128, stride = 2), BasicBlock(128, 128)],
//! #         layer3: [BasicBlock(128, 256, stride = 2), BasicBlock(256, 256)],
//! #         layer4: [BasicBlock(256, 512, stride = 2), BasicBlock(512, 512)],
//! #         avgpool: AdaptiveAvgPool2d((1, 1)),
//! #         flatten(1),
//! #         fc: Linear(512, 1000),
//! #     }
//! # }
//! let memory = ResNet18::SUMMARY.memory(32, netshape::Dtype::F32);
//! assert_eq!(memory.parameters, 11_689_512 * 4);
//! assert_eq!(
//!     memory.to_string(),
//!     "\
//! Memory for a batch of 32 in float32:
//!   Parameters        46.76 MB       46,758,048 bytes
//!   Gradients         46.76 MB       46,758,048 bytes
//!   Buffers            0.04 MB           38,480 bytes
//!   Activations      758.05 MB      758,051,840 bytes
//!   Input             19.27 MB       19,267,584 bytes
//!   Total            870.87 MB      870,874,000 bytes
//! "
//! );
//! ```
//!
//! torchsummary's table for the same network says 62.79 MB forward/backward for
//! one sample (MiB, every row's output doubled, the in-place ReLUs' included);
//! netshape counts 23.69 MB. The estimate leaves out what kernels allocate for
//! themselves, MaxPool's indices and the optimizer's state, and counts
//! `num_batches_tracked` at the element type rather than as `int64`.
