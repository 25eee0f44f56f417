//! The DSL: what a `network!` invocation holds, statement by statement.
//!
//! ```text
//! network! {
//!     const HIDDEN: usize = 128;          // named sizes, usable in any argument (`HIDDEN * 2`)
//!
//!     /// Docs for the struct.
//!     pub struct Name {
//!         input: [3, 32, 32],             // first: the input shape without the batch
//!         name: Module(args…),            // a named module: field `name`, keys `name.weight`
//!         Module(args…),                  // an anonymous module: numbered as in nn.Sequential
//!         function(args…),                // a functional op (F.relu, torch.flatten, x.view)
//!     }
//!
//!     struct Another { … }                // several networks and constants per invocation
//! }
//! ```
//!
//! Blocks, branches, joins and several inputs are on the [`graphs`](super::graphs)
//! page; the layers and their arguments on the [`layers`](super::layers) pages.
//!
//! # Modules and functions
//!
//! `CamelCase(…)` is a torch.nn module: a row of the summary, as a torch forward
//! hook sees it. `snake_case(…)` is the functional form (`F.relu(x)`,
//! `F.max_pool2d(x, 2)`, `x.view(-1, 320)`, `torch.flatten(x, 1)`): it shapes the
//! data but is no row, exactly as torchsummary shows it. A function owns no
//! module, so it takes no name.
//!
//! ```
//! use netshape::network;
//!
//! network! {
//!     pub struct Net {
//!         input: [1, 28, 28],
//!         conv: Conv2d(1, 8, 3),      // a module: a row, and `conv.` keys
//!         ReLU(),                     // a module without parameters: a row too
//!         max_pool2d(2),              // a function: shapes only
//!         flatten(1),
//!         fc: Linear(8 * 13 * 13, 10),
//!     }
//! }
//!
//! let rows: Vec<_> = Net::SUMMARY.rows().map(|layer| layer.kind).collect();
//! assert_eq!(rows, ["Conv2d", "ReLU", "Linear"]);
//! // `LAYERS` holds every step, the functions too.
//! let steps: Vec<_> = Net::LAYERS.iter().map(|layer| layer.kind).collect();
//! assert_eq!(steps, ["Conv2d", "ReLU", "max_pool2d", "flatten", "Linear"]);
//! assert_eq!(Net::LAYERS[2].output, [8, 13, 13]);
//! ```
//!
//! # Names and numbering
//!
//! A named module is a struct field and the prefix of its `state_dict` keys
//! (`fc1.weight`). An anonymous module gets its index among the network's
//! modules, as `nn.Sequential` numbers them (`0.weight`, `3.bias`); its field is
//! `_0`, `_3`. Doc comments on a layer become its field's docs.
//!
//! ```
//! use netshape::network;
//!
//! network! {
//!     pub struct Mlp {
//!         input: [784],
//!         Linear(784, 256),
//!         ReLU(),
//!         relu(),                     // a function: not counted
//!         /// The classifier.
//!         head: Linear(256, 10),
//!     }
//! }
//!
//! let keys: Vec<_> = Mlp::STATE_DICT.iter().map(|entry| entry.key).collect();
//! assert_eq!(keys, ["0.weight", "0.bias", "head.weight", "head.bias"]);
//! let mlp = Mlp::default();
//! let _: netshape::nn::Linear<784, 256> = mlp._0;
//! let _: netshape::nn::Linear<256, 10> = mlp.head;
//! ```
//!
//! # Arguments and values
//!
//! Arguments are PyTorch's: positional in PyTorch's order, keywords with
//! PyTorch's names, PyTorch's defaults. Wherever PyTorch takes an int or a tuple,
//! so does netshape: `kernel_size = 3`, `kernel_size = (1, 7)` (a list `[1, 7]`
//! too). Values: integers with `+ - * / %` and constants, numbers (`1e-5`),
//! `true`/`false` (Python's `True`/`False` too), strings (`"same"`), `None`;
//! `max(…)`, `min(…)`, and Python's `int(x)`, `round(x)`, `float(x)`, `abs(x)`.
//! Integers, and every size, are at most 2³¹ − 1; a tensor holds at most 2⁴⁰
//! elements a sample, a network unrolls to at most 5,000 steps (layers, loop
//! rounds, block calls) and nests at most 64 deep. Each excess is a compile
//! error at the token that caused it, so that the macro's work stays bounded
//! and grows with the layers, never with the tensors' sizes.
//!
//! ```
//! use netshape::network;
//!
//! network! {
//!     pub struct Values {
//!         input: [3, 9, 9],
//!         a: Conv2d(3, 4, [1, 3], padding = (0, 1), bias = False),
//!         b: Conv2d(4, 4, 3, padding = "same", padding_mode = "circular", bias = false),
//!         bn: BatchNorm2d(4, eps = 1e-3, momentum = None),
//!         c: Conv2d(in_channels = 4, out_channels = 2 * 4 - 1, kernel_size = 9 % 4),
//!     }
//! }
//!
//! assert_eq!(Values::STATE_DICT[0].shape, [4, 3, 1, 3]);
//! assert_eq!(Values::LAYERS[0].output, [4, 9, 9]);
//! assert_eq!(Values::LAYERS[1].output, [4, 9, 9]);
//! assert_eq!(Values::OUTPUT_SHAPE, [7, 9, 9]);
//! ```
//!
//! An argument PyTorch does not take is an error that lists the ones the layer
//! takes; so is an argument given twice, or a required one left out:
//!
//! ```compile_fail
//! netshape::network! {
//!     pub struct Net {
//!         input: [3, 32, 32],
//!         conv: Conv2d(3, 16, kernel = 3),   // PyTorch's name is `kernel_size`
//!     }
//! }
//! ```
//!
//! # Dims count the batch
//!
//! As in PyTorch: on an input `[10]` (which PyTorch sees as `[N, 10]`),
//! `softmax(dim = 1)` and `softmax(dim = -1)` are the same dim, and `dim = 2` is
//! an error.
//!
//! ```
//! netshape::network! {
//!     pub struct Probabilities {
//!         input: [10],
//!         softmax(dim = 1),
//!         softmax(dim = -1),
//!     }
//! }
//!
//! assert_eq!(Probabilities::OUTPUT_SHAPE, [10]);
//! ```
//!
//! ```compile_fail
//! netshape::network! {
//!     pub struct Probabilities {
//!         input: [10],
//!         softmax(dim = 2),   // `dim` must be from -2 to 1
//!     }
//! }
//! ```
//!
//! # The batch stays open
//!
//! Shapes leave it out, and a reshape must keep it first: `view(-1, 320)` and
//! `view(x.size(0), -1)` are accepted (the leading `-1` or `x.size(0)` is the
//! batch); `flatten()` from dim 0, which merges the batch into the features, is
//! an error that suggests `flatten(1)`.
//!
//! ```
//! netshape::network! {
//!     pub struct Reshapes {
//!         input: [20, 4, 4],
//!         view(-1, 320),
//!         view(x.size(0), 20, -1),
//!         flatten(1),
//!         reshape(-1, 4, 80),
//!     }
//! }
//!
//! let shapes: Vec<_> = Reshapes::LAYERS.iter().map(|layer| layer.output).collect();
//! assert_eq!(shapes, [&[320][..], &[20, 16], &[320], &[4, 80]]);
//! ```
//!
//! ```compile_fail
//! netshape::network! {
//!     pub struct Net {
//!         input: [512, 7, 7],
//!         flatten(),          // from dim 0: write `flatten(1)`
//!         fc: Linear(512 * 7 * 7, 10),
//!     }
//! }
//! ```
//!
//! # Constants
//!
//! Constants are declared inside the invocation (`const NAME: usize = …;`, the
//! type may be left out) and also emitted as Rust constants with the visibility
//! you give them. Any argument may use them.
//!
//! ```
//! netshape::network! {
//!     pub const HIDDEN: usize = 128;
//!     const CLASSES = 10;
//!
//!     pub struct Mlp {
//!         input: [784],
//!         fc1: Linear(784, HIDDEN * 2),
//!         ReLU(),
//!         fc2: Linear(HIDDEN * 2, CLASSES),
//!     }
//! }
//!
//! assert_eq!((HIDDEN, CLASSES), (128, 10));
//! assert_eq!(Mlp::TOTAL_PARAMS, 784 * 256 + 256 + 256 * 10 + 10);
//! ```
//!
//! # Inputs
//!
//! `input: [..]` comes first. A network may have several named inputs, and an
//! input of indices is declared `as i64` (for an `Embedding`); see
//! [`graphs`](super::graphs#several-inputs-and-outputs).
//!
//! ```
//! netshape::network! {
//!     pub struct Words {
//!         input: [12] as i64,
//!         embed: Embedding(1000, 32),
//!     }
//! }
//!
//! assert_eq!(Words::OUTPUT_SHAPE, [12, 32]);
//! ```
//!
//! A network without `input`, or without layers, is an error:
//!
//! ```compile_fail
//! netshape::network! {
//!     pub struct Net {
//!         fc: Linear(784, 10),
//!     }
//! }
//! ```
//!
//! # Sizes that vary
//!
//! An input dim can be a symbol, with the sizes it takes in a `where` clause
//! after the shape: `S in a..=b` (or `a..b`), `S % m == r`, `S <= n`, `S < n`,
//! `S >= n`, `S > n`. `S = 224` in the brackets is the default the consts and
//! the summary are computed at; without one it is the smallest size. Every
//! rule is checked at every size the conditions admit, the dims that follow
//! are formulas of the symbols (`Layer::output_formula`, and a section of the
//! struct's docs), and the typed input has [`ANY`](crate::ANY) in those dims.
//!
//! ```
//! netshape::network! {
//!     pub struct Stem {
//!         input: [3, H = 224, W = 224] where H in 32..=2048, H % 32 == 0, W in 32..=2048, W % 32 == 0,
//!         conv1: Conv2d(3, 64, 7, stride = 2, padding = 3),
//!         maxpool: MaxPool2d(3, stride = 2, padding = 1),
//!     }
//!
//!     /// A length that varies: a sequence of tokens.
//!     pub struct Tagger {
//!         input tokens: [L] as i64 where L in 1..=4096,
//!         embed: Embedding(1000, 32),
//!         lstm: LSTM(32, 64, batch_first = true),
//!         head: Linear(64, 9),
//!     }
//! }
//!
//! assert_eq!(Stem::INPUT_SHAPE, [3, 224, 224]);
//! assert_eq!(Stem::LAYERS[1].output_formula, "[64, ⌊H/4⌋, ⌊W/4⌋]");
//! assert_eq!(Tagger::OUTPUT_SHAPE, [1, 9]);
//! assert_eq!(Tagger::LAYERS[2].output_formula, "[L, 9]");
//! ```
//!
//! A rule that fails at some size is an error at the smallest such size, with
//! the shapes there:
//!
//! ```compile_fail
//! netshape::network! {
//!     pub struct Net {
//!         // The halves broadcast at 2, 3 and 4, not at 5: "for W = 5: `add` cannot broadcast …".
//!         input: [4, W] where W in 2..=64,
//!         let left = [Conv1d(4, 4, 2, stride = 2)],
//!         add(left, [AvgPool1d(2, ceil_mode = true), Conv1d(4, 4, 1)]),
//!     }
//! }
//! ```
