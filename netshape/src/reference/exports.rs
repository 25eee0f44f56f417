//! Exports: JSON, Markdown and Graphviz.
//!
//! A network's `SUMMARY` also exports as JSON, as a Markdown table and as a
//! Graphviz graph (`Net` is the MNIST net of the [`expansion`](super::expansion)
//! page):
//!
//! ```
//! # use netshape::network;
//! #
//! # network! {
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
//! let table = Net::SUMMARY.markdown().to_string(); // GitHub-flavoured Markdown
//! let graph = Net::SUMMARY.dot().to_string(); // Graphviz: `dot -Tsvg net.dot -o net.svg`
//! assert!(table.contains("\n| 4 | `fc1` | Linear | [-1, 320] | [-1, 50] | 16,050 | 16,000 | — |\n"));
//! assert!(graph.starts_with("digraph \"Net\" {\n"));
//! assert!(graph.contains("    input0 -> n0 [label=\"1×28×28\"];\n"));
//! // The `relu` after the pool is written on the edge it acts on.
//! assert!(graph.contains("    n1 -> n3 [label=\"10×12×12\\nrelu\"];\n"));
//! ```
//!
//! # JSON
//!
//! `serde_json::to_string(&Net::SUMMARY)`, with `serde_json` as your own
//! dependency: `Serialize` for `Summary`, `Layer`, `Source`, `StateEntry` and
//! the rest, behind netshape's default `serde` feature (`default-features =
//! false` leaves serde out). The JSON is one object: `name`, `inputs` (shapes
//! without the batch), `total_params`, `trainable_params` and
//! `non_trainable_params` as torchsummary counts them (a module called twice
//! counts twice), `total_mult_adds` (weights, one sample) and
//! `total_mult_adds_with_bias`, torchsummary's sizes (`input_size_mb`,
//! `forward_backward_size_mb`, `params_size_mb`, `total_size_mb`, unrounded),
//! and `layers`: every step of `LAYERS` with all its fields. A step's `sources`
//! are `{"input": i}` or `{"layer": j}`, an index into `layers`;
//! torchsummary's rows are the steps with `functional` and `container` false.
//! For the MNIST net:
//!
//! ```text
//! {"name":"Net","inputs":[[1,28,28]],"total_params":21840,"trainable_params":21840,"non_trainable_params":0,
//!  "total_mult_adds":480500,"total_mult_adds_with_bias":487600,"input_size_mb":0.00299072265625, …,
//!  "layers":[{"name":"conv1","kind":"Conv2d","functional":false,"container":false,"depth":0,
//!   "sources":[{"input":0}],"input":[1,28,28],"output":[10,24,24],"extra_outputs":[],"params":260,
//!   "trainable":260,"buffers":0,"raw_params":0,"raw_trainable":0,"uncalled_params":0,
//!   "uncalled_trainable":0,"kernel":[5,5],"groups":1,"mult_adds":144000,"bias_adds":5760,
//!   "inplace":false,"view":false,"receptive_field":[{"size":5.0,"jump":1.0,"start":2.5},…]}, …]}
//! ```
//!
//! # Markdown
//!
//! [`Summary::markdown`](crate::Summary::markdown): one row per module call,
//! torchsummary's rows (blocks included, after their children; functional ops
//! and `nn.Sequential` containers left out, as torchsummary leaves them out: a
//! container's figures are its children's), with the totals. The MNIST net's:
//!
//! | # | Layer | Type | Input | Output | Params | Mult-adds | Receptive field |
//! | ---: | --- | --- | --- | --- | ---: | ---: | --- |
//! | 1 | `conv1` | Conv2d | [-1, 1, 28, 28] | [-1, 10, 24, 24] | 260 | 144,000 | 5×5 (jump 1) |
//! | 2 | `conv2` | Conv2d | [-1, 10, 12, 12] | [-1, 20, 8, 8] | 5,020 | 320,000 | 14×14 (jump 2) |
//! | 3 | `conv2_drop` | Dropout2d | [-1, 20, 8, 8] | [-1, 20, 8, 8] | 0 | 0 | 14×14 (jump 2) |
//! | 4 | `fc1` | Linear | [-1, 320] | [-1, 50] | 16,050 | 16,000 | — |
//! | 5 | `fc2` | Linear | [-1, 50] | [-1, 10] | 510 | 500 | — |
//! |  | **Total** |  |  |  | **21,840** | **480,500** |  |
//!
//! Trainable params: 21,840 · Non-trainable params: 0 · Mult-adds with bias additions: 487,600
//!
//! ```
//! # use netshape::network;
//! #
//! # network! {
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
//! let table = Net::SUMMARY.markdown().to_string();
//! assert_eq!(
//!     table,
//!     "\
//! | # | Layer | Type | Input | Output | Params | Mult-adds | Receptive field |
//! | ---: | --- | --- | --- | --- | ---: | ---: | --- |
//! | 1 | `conv1` | Conv2d | [-1, 1, 28, 28] | [-1, 10, 24, 24] | 260 | 144,000 | 5×5 (jump 1) |
//! | 2 | `conv2` | Conv2d | [-1, 10, 12, 12] | [-1, 20, 8, 8] | 5,020 | 320,000 | 14×14 (jump 2) |
//! | 3 | `conv2_drop` | Dropout2d | [-1, 20, 8, 8] | [-1, 20, 8, 8] | 0 | 0 | 14×14 (jump 2) |
//! | 4 | `fc1` | Linear | [-1, 320] | [-1, 50] | 16,050 | 16,000 | — |
//! | 5 | `fc2` | Linear | [-1, 50] | [-1, 10] | 510 | 500 | — |
//! |  | **Total** |  |  |  | **21,840** | **480,500** |  |
//!
//! Trainable params: 21,840 · Non-trainable params: 0 · Mult-adds with bias additions: 487,600
//! "
//! );
//! ```
//!
//! # DOT
//!
//! [`Summary::dot`](crate::Summary::dot): a `digraph` with a node per input, per
//! module call (type, kernel, path, parameters) and per functional op that
//! shapes the graph (joins such as `add` and `cat`, splits, reshapes, pools);
//! functional activations, dropout and softmax keep the shape and take one
//! input, so they are written on their edge instead. Each edge carries the
//! shape that flows along it (`64×56×56`). Blocks, `nn.Sequential`s and
//! composite modules are nested clusters labelled with their path, type and
//! parameters. `cargo run --example diagram [DIR]` writes resnet18's graph to
//! `DIR/resnet18.dot` (`target/diagram/` by default) and, where Graphviz's `dot`
//! is installed, renders `resnet18.svg` (the crate's `docs/resnet18.svg`).
