//! Blocks, branches and graphs: real networks are not chains.
//!
//! torchvision's `BasicBlock` and `ResNet18` read like this (the crate's
//! `examples/resnet18.rs`; its table, keys and rows are torchvision's):
//!
//! ```
//! use netshape::network;
//!
//! network! {
//!     pub block BasicBlock(inplanes, planes, stride = 1) {
//!         add(
//!             [
//!                 conv1: Conv2d(inplanes, planes, 3, stride = stride, padding = 1, bias = false),
//!                 bn1: BatchNorm2d(planes),
//!                 relu: ReLU(inplace = true),
//!                 conv2: Conv2d(planes, planes, 3, padding = 1, bias = false),
//!                 bn2: BatchNorm2d(planes),
//!             ],
//!             downsample: [
//!                 // The 1×1 stride-2 shortcut reads every other row and column.
//!                 #[allow(netshape::uncovered_input)]
//!                 Conv2d(inplanes, planes, 1, stride = stride, bias = false),
//!                 BatchNorm2d(planes),
//!             ] if stride != 1 || inplanes != planes,
//!         ),
//!         relu,                                   // the same module, called again
//!     }
//!
//!     // Its last units see past the image's edges, as a classifier's do by design.
//!     #[allow(netshape::receptive_field_exceeds_input)]
//!     pub struct ResNet18 {
//!         input: [3, 224, 224],
//!         conv1: Conv2d(3, 64, kernel_size = 7, stride = 2, padding = 3, bias = false),
//!         bn1: BatchNorm2d(64),
//!         relu: ReLU(inplace = true),
//!         maxpool: MaxPool2d(kernel_size = 3, stride = 2, padding = 1),
//!         layer1: [BasicBlock(64, 64), BasicBlock(64, 64)],
//!         layer2: [BasicBlock(64, 128, stride = 2), BasicBlock(128, 128)],
//!         layer3: [BasicBlock(128, 256, stride = 2), BasicBlock(256, 256)],
//!         layer4: [BasicBlock(256, 512, stride = 2), BasicBlock(512, 512)],
//!         avgpool: AdaptiveAvgPool2d((1, 1)),
//!         flatten(1),
//!         fc: Linear(512, 1000),
//!     }
//! }
//!
//! assert_eq!(ResNet18::TOTAL_PARAMS, 11_689_512);
//! assert_eq!(ResNet18::OUTPUT_SHAPE, [1000]);
//! let keys: Vec<_> = ResNet18::STATE_DICT.iter().map(|entry| entry.key).collect();
//! assert!(keys.contains(&"layer2.0.downsample.0.weight"));
//! assert!(!keys.contains(&"layer2.1.downsample.0.weight"));
//! // A block is a row after its children's, where a forward hook puts one.
//! let block = ResNet18::LAYERS.iter().position(|layer| layer.name == "layer1.0").unwrap();
//! assert_eq!(ResNet18::LAYERS[block].kind, "BasicBlock");
//! assert_eq!(ResNet18::LAYERS[block - 1].name, "layer1.0.relu");
//! ```
//!
//! # Blocks
//!
//! `block Name(params) { … }` defines a module type once; its parameters are
//! integers, numbers, booleans or strings, with defaults, and may be used in
//! arithmetic (`planes * 4`, `max(1, channels / 4)`, `0.2 * i / 16`),
//! comparisons and conditions. `const hidden = inp * expand_ratio,` names a
//! number inside a body. A call `BasicBlock(64, 128, stride = 2)` is a module:
//! its children are keyed under its path (`layer2.0.conv1.weight`) and it has a
//! summary row after theirs, named after the block, where a forward hook puts
//! one. The block's input is the chain's value, also named `input`; more inputs
//! are declared first, `input memory,`, and passed after the call,
//! `Decoder(512)(x, memory)`.
//!
//! ```
//! use netshape::network;
//!
//! network! {
//!     /// Squeeze-and-excitation: the channels scaled by a gate computed from them.
//!     pub block Gate(channels, squeeze = 4) {
//!         const hidden = max(1, channels / squeeze),
//!         mul(
//!             [],
//!             [
//!                 adaptive_avg_pool2d(1),
//!                 fc1: Conv2d(channels, hidden, 1),
//!                 relu(),
//!                 fc2: Conv2d(hidden, channels, 1),
//!                 sigmoid(),
//!             ],
//!         ),
//!     }
//!
//!     /// Two tensors in: the chain's value and `memory`.
//!     pub block Mix(channels) {
//!         input memory,
//!         add(input, memory),
//!         proj: Conv2d(channels, channels, 1),
//!     }
//!
//!     #[allow(netshape::receptive_field_exceeds_input)]
//!     pub struct Net {
//!         input: [32, 16, 16],
//!         let skip = [],
//!         let gated = gate: Gate(32),
//!         mixed: Mix(32)(gated, skip),
//!         small: Gate(32, squeeze = 64),
//!     }
//! }
//!
//! assert_eq!(Net::STATE_DICT[0].key, "gate.fc1.weight");
//! assert_eq!(Net::STATE_DICT[0].shape, [8, 32, 1, 1]);
//! // `max(1, 32 / 64)` is 1.
//! let small = Net::STATE_DICT.iter().find(|entry| entry.key == "small.fc1.weight").unwrap();
//! assert_eq!(small.shape, [1, 32, 1, 1]);
//! let rows: Vec<_> = Net::SUMMARY.rows().map(|layer| (layer.name, layer.kind)).collect();
//! assert_eq!(rows[2], ("gate", "Gate"));
//! assert_eq!(rows[4], ("mixed", "Mix"));
//! ```
//!
//! A parameter's default may use the parameters before it, as Python's
//! keyword defaults cannot but torchvision's builders compute:
//! `block Bottleneck(planes, base_width = 64, width = int(planes * (base_width / 64.0)))`.
//! Python's `int(x)` (towards zero), `round(x)` (half to even), `float(x)` and
//! `abs(x)` work on numbers anywhere a value is written.
//!
//! ```
//! use netshape::network;
//!
//! network! {
//!     pub block Bottleneck(planes, base_width = 64, width = int(planes * (base_width / 64.0))) {
//!         conv1: Conv2d(planes * 4, width, 1, bias = false),
//!         conv2: Conv2d(width, planes * 4, 1, bias = false),
//!     }
//!
//!     pub struct Net {
//!         input: [256, 8, 8],
//!         wide: Bottleneck(64, base_width = 128),
//!         narrow: Bottleneck(64),
//!     }
//! }
//!
//! assert_eq!(Net::STATE_DICT[0].shape, [128, 256, 1, 1]);
//! assert_eq!(Net::STATE_DICT[2].shape, [64, 256, 1, 1]);
//! ```
//!
//! A block that calls itself, directly or through others, is an error that
//! names the cycle (`block `Stage` calls itself: `Stage` → `Tail` → `Stage``).
//!
//! # Raw parameters and buffers
//!
//! `name: Parameter(d0, d1, …)` registers a tensor of that shape on the module
//! being defined, as `self.name = nn.Parameter(torch.zeros(d0, d1, …))` does;
//! `name: Buffer(…)` as `self.register_buffer("name", …)` does (persistent).
//! They are declared at the top of the network or block, before its first
//! module, parameters before buffers: PyTorch's `state_dict` lists a module's
//! own tensors before its children's, and netshape keeps its order. The key is
//! the module's path and the name (`encoder.pos_embedding`); the count is the
//! module's own, shown on its row by torchinfo (torchsummary, which counts
//! only `weight` and `bias`, leaves them out, as it does). `requires_grad =
//! false` makes a parameter frozen.
//!
//! The name is then a value that joins combine with the chain's (`add`, `mul`,
//! `cat`…): a tensor with one dim more than the chain's values and a leading 1
//! has the batch first (ViT's `pos_embedding` `[1, 197, 768]` beside
//! `[197, 768]`; in `cat`, that 1 is expanded over the batch, as
//! `class_token.expand(n, -1, -1)`), and any other lines up with the last dims
//! (ConvNeXt's `layer_scale` `[C, 1, 1]` beside `[C, H, W]`). A raw tensor
//! cannot start a chain of layers.
//!
//! ```
//! use netshape::network;
//!
//! network! {
//!     /// ConvNeXt's block: a per-channel scale of its own, then the residual.
//!     pub block Scaled(dim) {
//!         layer_scale: Parameter(dim, 1, 1),
//!         let scaled = mul(layer_scale, block: [Conv2d(dim, dim, 7, padding = 3, groups = dim)]),
//!         add(scaled, input),
//!     }
//!
//!     /// A class token first, then the patches: ViT's sequence.
//!     pub struct Tokens {
//!         input: [3, 32, 32],
//!         class_token: Parameter(1, 1, 64),
//!         patches: Conv2d(3, 64, 8, stride = 8),
//!         stage: Scaled(64),
//!         flatten(2),
//!         transpose(1, 2),
//!         cat(class_token, [], dim = 1),
//!         select(1, 0),
//!     }
//! }
//!
//! let keys: Vec<_> = Tokens::STATE_DICT.iter().map(|entry| entry.key).collect();
//! assert_eq!(keys, ["class_token", "patches.weight", "patches.bias", "stage.layer_scale", "stage.block.0.weight", "stage.block.0.bias"]);
//! assert_eq!(Tokens::OUTPUT_SHAPE, [64]);
//! assert_eq!(Tokens::TOTAL_PARAMS, 64 + 64 * 3 * 64 + 64 + 64 + 64 * 49 + 64);
//! // The block's row owns its `layer_scale`.
//! assert_eq!(Tokens::LAYERS.iter().find(|layer| layer.name == "stage").unwrap().params, 64);
//! ```
//!
//! # Registration order
//!
//! The `state_dict` lists a module's children in the order its `__init__`
//! registered them, which netshape takes to be the order they are called.
//! Where the two differ, `#[state_order(fc, conv)]` on the network or block
//! lists the children as registered (names, numbers or strings); its own raw
//! tensors stay first, unlisted children follow in call order. Only the keys'
//! order changes: the computation, and loading by key, do not.
//!
//! ```
//! use netshape::network;
//!
//! network! {
//!     #[state_order(fc, conv)]
//!     pub struct Net { input: [3, 6, 6], conv: Conv2d(3, 4, 3), flatten(1), fc: Linear(64, 5) }
//! }
//!
//! let keys: Vec<_> = Net::STATE_DICT.iter().map(|entry| entry.key).collect();
//! assert_eq!(keys, ["fc.weight", "fc.bias", "conv.weight", "conv.bias"]);
//! ```
//!
//! # Sequences
//!
//! `name: [ … ]` is an `nn.Sequential`: no row, its modules numbered from 0
//! (`features.0.weight`) or named. `Sequential( … )` is one too, named or
//! numbered like any module, for a Sequential inside a Sequential (torchvision's
//! `Conv2dNormActivation`). `#[class = "Conv2dNormActivation"]` on a sequence
//! names the `nn.Sequential` subclass it stands for, which torchinfo's view
//! shows (torchsummary shows no Sequential). `#[class]` works on any module
//! call too, keeping its keys: `#[class = "Conv3DSimple"] Conv3d(…)` for an
//! `nn.Conv3d` subclass, `#[class = "BasicStem"]` on a block. A `[ … ]`
//! without a name only groups.
//!
//! A `ModuleList` is a sequence whose modules are called one after the other,
//! as `for layer in self.layers: x = layer(x)` does: write it as a named
//! sequence, `layers: [for i in 0..6 { EncoderLayer(512) }]` (keys
//! `layers.0.…`); torchinfo shows it as `Sequential`, where PyTorch would
//! show `ModuleList`. A `ModuleList` whose modules are called in another
//! order, or not all, is written with each module named where it is called.
//!
//! `for i in 0..n { … }` repeats statements, and a module name may carry the
//! index: `denselayer{i + 1}: _DenseLayer(…)`.
//!
//! ```
//! use netshape::network;
//!
//! network! {
//!     /// Each layer's features joined to all before, as DenseNet's dense block.
//!     pub block Dense(layers, channels, growth) {
//!         for i in 0..layers {
//!             cat([], dense{i + 1}: Conv2d(channels + i * growth, growth, 3, padding = 1), dim = 1),
//!         }
//!     }
//!
//!     pub struct Net {
//!         input: [3, 32, 32],
//!         features: [
//!             #[class = "Conv2dNormActivation"]
//!             Sequential(Conv2d(3, 16, 3, padding = 1, bias = false), BatchNorm2d(16), ReLU()),
//!             block: Dense(3, 16, 8),
//!         ],
//!         [relu(), adaptive_avg_pool2d(1)],
//!         flatten(1),
//!         fc: Linear(40, 10),
//!     }
//! }
//!
//! let keys: Vec<_> = Net::STATE_DICT.iter().map(|entry| entry.key).collect();
//! assert_eq!(keys[0], "features.0.0.weight");
//! assert!(keys.contains(&"features.block.dense3.weight"));
//! assert_eq!(Net::LAYERS.iter().find(|layer| layer.name == "features.block").unwrap().output, [40, 32, 32]);
//! // The subclass's name, and a container: torchinfo shows it, torchsummary does not.
//! let wrapper = Net::LAYERS.iter().find(|layer| layer.name == "features.0").unwrap();
//! assert_eq!((wrapper.kind, wrapper.container), ("Conv2dNormActivation", true));
//! assert!(Net::SUMMARY.rows().all(|layer| !layer.container));
//! ```
//!
//! # Joins
//!
//! `add(…)`, `sub(…)`, `mul(…)`, `div(…)` (PyTorch's broadcasting, on tensors of
//! one rank), `cat(…, dim = d)` and `stack(…, dim = d)` join branches. Each
//! branch starts from the current value: `[ … ]` runs statements on it (and
//! `[]` is the value itself), a bare name is a value, `x2 -> [ … ]` starts from
//! another value, `downsample: [ … ]` is a named Sequential, and `… if cond` is
//! the start value itself when the condition is false. Branches run in the
//! order written, which is the order of their rows.
//!
//! # Values
//!
//! `let identity = …` names a value without moving the chain; `let (x1, x2) =
//! chunk(2, dim = 1)` binds the pieces of a `chunk`, `split` or `unbind`; a bare
//! value name continues the chain from it; `if cond { … } else { … }` chooses
//! statements.
//!
//! ```
//! use netshape::network;
//!
//! network! {
//!     /// ShuffleNet's unit, in short: half the channels convolved, half kept.
//!     pub block Unit(channels, stride = 1) {
//!         if stride == 1 {
//!             let (kept, worked) = chunk(2, dim = 1),
//!             let worked = worked -> [conv: Conv2d(channels / 2, channels / 2, 3, padding = 1), relu()],
//!             cat(kept, worked, dim = 1),
//!         } else {
//!             cat(
//!                 left: [Conv2d(channels, channels, 3, stride = 2, padding = 1)],
//!                 right: [Conv2d(channels, channels, 3, stride = 2, padding = 1)],
//!                 dim = 1,
//!             ),
//!         }
//!         channel_shuffle(2),
//!     }
//!
//!     pub struct Net {
//!         input: [16, 32, 32],
//!         let stem = [],
//!         a: Unit(16),
//!         let both = stack(stem, [], dim = 1),
//!         both,
//!         mean(dim = 1),
//!         b: Unit(16, stride = 2),
//!     }
//! }
//!
//! assert_eq!(Net::LAYERS.iter().find(|layer| layer.kind == "stack").unwrap().output, [2, 16, 32, 32]);
//! assert_eq!(Net::OUTPUT_SHAPE, [32, 16, 16]);
//! ```
//!
//! # Reuse
//!
//! A bare module name calls that module again (torchvision's `self.relu`): a
//! new row, the same parameters, counted once in `TOTAL_PARAMS` (torchsummary's
//! own total counts them per call, and so does `Summary`'s, to print its
//! table).
//!
//! ```
//! netshape::network! {
//!     pub struct Reuse {
//!         input: [16],
//!         fc: Linear(16, 16),
//!         act: ReLU(),
//!         fc,
//!         act,
//!     }
//! }
//!
//! assert_eq!(Reuse::TOTAL_PARAMS, 16 * 16 + 16);
//! assert_eq!(Reuse::SUMMARY.rows().count(), 4);
//! assert_eq!(Reuse::SUMMARY.total_params(), 2 * (16 * 16 + 16));
//! assert_eq!(Reuse::STATE_DICT.len(), 2);
//! ```
//!
//! # Several inputs and outputs
//!
//! `input image: [3, 64, 64], input tags: [20] as i64,` declares named inputs
//! (the chain starts from the first); `output: (logits, aux),` names the
//! outputs. A layer that takes several tensors gets them after its call:
//! `attention: MultiheadAttention(64, 4)(query, key, value)`.
//!
//! ```
//! use netshape::{network, Network};
//!
//! network! {
//!     /// Two inputs and two outputs: an image tower, a tag tower, and a head on both.
//!     pub struct TwoTowers {
//!         input image: [3, 32, 32],
//!         input tags: [20] as i64,
//!         conv: Conv2d(3, 16, 3, stride = 2, padding = 1),
//!         let pooled = [adaptive_avg_pool2d(1), flatten(1)],
//!         let words = tags -> [embed: Embedding(1000, 16), mean(dim = 1)],
//!         let both = cat(dim = 1, pooled, words),
//!         both,
//!         head: Linear(32, 10),
//!         let logits = [],
//!         let aux = words -> aux: Linear(16, 2),
//!         output: (logits, aux),
//!     }
//! }
//!
//! assert_eq!(TwoTowers::INPUT_SHAPES, [&[3, 32, 32][..], &[20]]);
//! assert_eq!(TwoTowers::OUTPUT_SHAPES, [&[10][..], &[2]]);
//! let _: <TwoTowers as Network>::Input = (netshape::Tensor3::<3, 32, 32>, netshape::Tensor1::<20>);
//! let _: <TwoTowers as Network>::Output = (netshape::Tensor1::<10>, netshape::Tensor1::<2>);
//! ```
//!
//! # Frozen layers
//!
//! `#[frozen]` on a module, block or sequence makes its parameters not
//! trainable (`requires_grad = False`), as `TRAINABLE_PARAMS`,
//! `NON_TRAINABLE_PARAMS` and the table's counts show.
//!
//! ```
//! netshape::network! {
//!     pub struct Finetune {
//!         input: [3, 32, 32],
//!         #[frozen]
//!         backbone: [Conv2d(3, 8, 3, padding = 1, bias = false), BatchNorm2d(8), ReLU()],
//!         flatten(1),
//!         head: Linear(8 * 32 * 32, 10),
//!     }
//! }
//!
//! assert_eq!(Finetune::NON_TRAINABLE_PARAMS, 3 * 8 * 9 + 2 * 8);
//! assert_eq!(Finetune::TRAINABLE_PARAMS, 8 * 32 * 32 * 10 + 10);
//! assert!(Finetune::SUMMARY.to_string().contains("Non-trainable params: 232\n"));
//! ```
//!
//! # Blocks from another `network!`
//!
//! Every block also defines a macro of its name that carries its definition.
//! `use crate::blocks::Residual;` (or `use super::{BasicBlock, Bottleneck};`)
//! inside another `network!` pastes it in, so it is checked with the arguments
//! it is called with, exactly as if written there (`pub` blocks are
//! `pub(crate)` macros, so this works anywhere in the crate).
//!
//! ```
//! mod blocks {
//!     netshape::network! {
//!         pub block Residual(channels) {
//!             add([conv: Conv2d(channels, channels, 3, padding = 1), relu: ReLU()], []),
//!         }
//!     }
//! }
//!
//! mod model {
//!     netshape::network! {
//!         use crate::blocks::Residual;
//!
//!         pub struct Tower {
//!             input: [8, 16, 16],
//!             first: Residual(8),
//!             second: Residual(8),
//!         }
//!     }
//! }
//!
//! fn main() {
//!     use model::Tower;
//!     assert_eq!(Tower::TOTAL_PARAMS, 2 * (8 * 8 * 9 + 8));
//!     assert_eq!(Tower::STATE_DICT[0].key, "first.conv.weight");
//! }
//! ```
//!
//! For other crates, mark the block `#[export]`: it becomes a macro at the root
//! of its crate, and `use that_crate::BasicBlock;` works in any crate that
//! depends on it. The limits: an `#[export]`ed block can no longer be reached
//! by path inside its own crate (Rust's rule for macros made by macros), only
//! used in the `network!` that defines it; and a `use` names blocks, not whole
//! networks (a network is used from another by copying its body into a block).
//!
//! # Errors in blocks
//!
//! An error in a block's values points at the token inside the block, names
//! the layer by its full path and says which call made the instance, as a
//! second error (a note) at the call; the same mistake in further instances is
//! counted on the first, `; and 2 more instances: `layer3.conv2`, …`. A
//! mistake in the block's own text (a misspelt name) is reported once, and
//! the arguments after it still reach their own parameters.
//!
//! ```compile_fail
//! netshape::network! {
//!     pub block Widen(channels) {
//!         conv: Conv2d(channels, channels * 2, 3, padding = 1),
//!     }
//!
//!     pub struct Net {
//!         input: [16, 32, 32],
//!         stage: [Widen(16), Widen(16)],
//!     }
//! }
//! ```
//!
//! ```text
//! error: in `stage.1.conv`: `Conv2d` expects 16 input channels, but its input has 32 (from `stage.0`)
//!  --> src/lib.rs:3:22
//!   |
//! 3 |         conv: Conv2d(channels, channels * 2, 3, padding = 1),
//!   |                      ^^^^^^^^
//!
//! error: note: `stage.1` (`Widen(16)`) is called here
//! ```
