//! torchinfo 1.8.0's summary of a network, reproduced byte for byte.

use alloc::collections::BTreeMap;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt::{self, Write};
use core::ops::Bound;

use crate::summary::Grouped;
use crate::{Dtype, Layer, Summary};

/// A column of [`TorchInfo`]'s table.
///
/// The first seven are torchinfo's own `col_names` and render exactly as
/// torchinfo 1.8.0 renders them; [`Groups`](Column::Groups) and
/// [`ReceptiveField`](Column::ReceptiveField) are netshape's, in the same style
/// (25 characters wide, `--` where they do not apply).
///
/// ```
/// use netshape_core::Column;
///
/// assert_eq!(Column::DEFAULT, [Column::OutputSize, Column::NumParams]);
/// assert_eq!(Column::MultAdds.title(), "Mult-Adds");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Column {
    /// `input_size`, "Input Shape": the shape the module receives, batch first.
    InputSize,
    /// `output_size`, "Output Shape": the shape it returns (its first
    /// output's; on the root row, the network's last step's).
    OutputSize,
    /// `kernel_size`, "Kernel Shape": a conv's kernel as a list, `[3, 3]`; a
    /// pool's as PyTorch stores it, which for netshape's pools is an int when
    /// every axis has the same size (`3`), a list otherwise.
    KernelSize,
    /// netshape's "Groups": a conv's `groups`, `--` elsewhere.
    Groups,
    /// `num_params`, "Param #": see [`TorchInfo`] for which rows show what.
    NumParams,
    /// `params_percent`, "Param %": the row's "Param #" as a share of the total.
    ParamsPercent,
    /// `mult_adds`, "Mult-Adds": torchinfo's multiply-accumulates for the whole
    /// batch (see [`TorchInfo::total_mult_adds`] for the convention).
    MultAdds,
    /// netshape's "Receptive Field": the size of an output unit's receptive
    /// field along each spatial axis, in input pixels, `[11, 11]`; `--` once
    /// the spatial axes are gone and on the root row.
    ReceptiveField,
    /// `trainable`, "Trainable": `True`, `False`, `Partial` or `--` (no parameters).
    Trainable,
}

impl Column {
    /// torchinfo's default columns, `("output_size", "num_params")`.
    ///
    /// ```
    /// use netshape_core::Column;
    ///
    /// assert_eq!(Column::DEFAULT.len(), 2);
    /// ```
    pub const DEFAULT: [Column; 2] = [Column::OutputSize, Column::NumParams];

    /// Every column, torchinfo's in the order its documentation lists them and
    /// netshape's next to the ones they extend.
    ///
    /// ```
    /// use netshape_core::Column;
    ///
    /// assert_eq!(Column::ALL.len(), 9);
    /// ```
    pub const ALL: [Column; 9] = [
        Column::InputSize,
        Column::OutputSize,
        Column::NumParams,
        Column::ParamsPercent,
        Column::KernelSize,
        Column::Groups,
        Column::MultAdds,
        Column::ReceptiveField,
        Column::Trainable,
    ];

    /// The column's header.
    ///
    /// ```
    /// use netshape_core::Column;
    ///
    /// assert_eq!(Column::KernelSize.title(), "Kernel Shape");
    /// assert_eq!(Column::ReceptiveField.title(), "Receptive Field");
    /// ```
    pub const fn title(self) -> &'static str {
        match self {
            Column::InputSize => "Input Shape",
            Column::OutputSize => "Output Shape",
            Column::KernelSize => "Kernel Shape",
            Column::Groups => "Groups",
            Column::NumParams => "Param #",
            Column::ParamsPercent => "Param %",
            Column::MultAdds => "Mult-Adds",
            Column::ReceptiveField => "Receptive Field",
            Column::Trainable => "Trainable",
        }
    }
}

/// The table `torchinfo.summary(model, input_size=(batch, *input), col_names=…,
/// depth=…)` 1.8.0 returns, printed byte for byte by its
/// [`Display`](fmt::Display) impl (which, like `str()` of torchinfo's result,
/// ends without a newline). Made by [`Summary::torchinfo`].
///
/// torchinfo's rows are module calls in the order they start (a container
/// before its children, the model itself first), drawn as a tree down to
/// `depth` and labelled `Kind: depth-index`; netshape's rows come in the order
/// calls end, so the view rebuilds the tree from the modules' paths.
/// Functional ops are no rows. Every rule is torchinfo's:
///
/// - **Param #**: a leaf module, or any module on the last shown level, shows
///   all its parameters (its children's included), in parentheses when none is
///   trainable; a module with children above that level shows only those its
///   children's rows do not count (`--` for none); a module called again shows
///   `(recursive)` when it has parameters. "Trainable" is `True`, `False` or
///   `Partial` over all the module's parameters.
/// - **Mult-Adds** (for the whole batch of `batch` samples): a conv's parameters
///   times its output positions (`batch` × the spatial output), an RNN's
///   (`RNN`, `LSTM`, `GRU` and their cells) parameters times `batch` × its
///   output's first dim, any other leaf's parameters times `batch` (so a
///   `BatchNorm` counts each parameter once per sample and a `Linear` on a
///   sequence once per sample, not per position). A module with children shows
///   its leaves' sum on the last shown level, `--` above it.
/// - **Totals**: parameters are counted once per module; "Total mult-adds"
///   sums every leaf call, in millions, billions or trillions with the unit
///   printed as Python 3.11 prints torchinfo's enum (`(Units.GIGABYTES)`).
/// - **Sizes** in MB of 10⁶ bytes, each element [`Dtype::bytes`] long:
///   "Input size" is the inputs' bytes plus 56 per input (torchinfo measures
///   `sys.getsizeof` of each input's storage, which under CPython 3.11 and
///   PyTorch 1.13 adds 56 bytes); "Forward/backward pass size" is twice the
///   output of every leaf call that has parameters; "Params size" counts the
///   parameters of leaf modules only (torchinfo leaves out parameters a module
///   with children owns itself, such as `MultiheadAttention`'s, which it does
///   count in "Total params").
///
/// What netshape's [`Layer`]s do not record, the view fills in as follows:
/// the root row's output is the last step's; every input, parameter and
/// output is of one [`dtype`](TorchInfo::dtype); a pool's kernel prints as an
/// int when its sizes are equal (PyTorch prints the int or tuple it was given),
/// and `Fold`'s and `Unfold`'s, which `Layer::kernel` leaves empty, as `--`;
/// a module that takes a list of tensors shows
/// the input netshape gives it (DenseNet's dense layers: the concatenation,
/// where torchinfo shows the list's first tensor). `MultiheadAttention` counts
/// as a module with children, as in torchinfo, which sees its `out_proj`.
///
/// ```
/// use netshape_core::{Column, Layer, Summary};
///
/// let layers = [
///     Layer { name: "fc", kind: "Linear", input: &[4], output: &[2], params: 10, trainable: 10, ..Layer::EMPTY },
///     Layer { name: "", kind: "relu", functional: true, input: &[2], output: &[2], ..Layer::EMPTY },
/// ];
/// let summary = Summary { name: "Tiny", inputs: &[&[4]], layers: &layers };
/// let text = summary.torchinfo().columns(&[Column::OutputSize, Column::NumParams, Column::MultAdds]).to_string();
/// let lines: Vec<&str> = text.lines().collect();
/// assert_eq!(lines[1], "Layer (type:depth-idx)                   Output Shape              Param #                   Mult-Adds");
/// assert_eq!(lines[3], "Tiny                                     [1, 2]                    --                        --");
/// assert_eq!(lines[4], "├─Linear: 1-1                            [1, 2]                    10                        10");
/// assert_eq!(lines[9], "Total mult-adds (Units.MEGABYTES): 0.00");
/// assert_eq!(lines[11], "Input size (MB): 0.00");
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TorchInfo<'a> {
    summary: Summary<'a>,
    name: &'a str,
    columns: &'a [Column],
    depth: usize,
    batch: usize,
    dtype: Dtype,
}

impl<'a> Summary<'a> {
    /// torchinfo 1.8.0's view of the network, with torchinfo's defaults: the
    /// columns [`Column::DEFAULT`], depth 3, a batch of 1, `float32`, and the
    /// network's name on the root row.
    ///
    /// ```
    /// use netshape_core::{Layer, Summary};
    ///
    /// let layers = [Layer { name: "fc", kind: "Linear", input: &[4], output: &[2], params: 10, trainable: 10, ..Layer::EMPTY }];
    /// let summary = Summary { name: "Tiny", inputs: &[&[4]], layers: &layers };
    /// let text = summary.torchinfo().to_string();
    /// assert!(text.contains("\n├─Linear: 1-1                            [1, 2]                    10\n"));
    /// // 40 characters of labels and 25 per column, no newline at the end:
    /// assert!(text.ends_with(&format!("Estimated Total Size (MB): 0.00\n{}", "=".repeat(90))));
    /// ```
    pub fn torchinfo(&self) -> TorchInfo<'a> {
        TorchInfo { summary: *self, name: self.name, columns: &Column::DEFAULT, depth: 3, batch: 1, dtype: Dtype::F32 }
    }
}

impl<'a> TorchInfo<'a> {
    /// The columns to show, in order (torchinfo's `col_names`).
    ///
    /// ```
    /// use netshape_core::{Column, Layer, Summary};
    ///
    /// let layers = [Layer { name: "fc", kind: "Linear", input: &[4], output: &[2], params: 10, trainable: 10, ..Layer::EMPTY }];
    /// let summary = Summary { name: "Tiny", inputs: &[&[4]], layers: &layers };
    /// let text = summary.torchinfo().columns(&[Column::InputSize, Column::Trainable]).to_string();
    /// assert!(text.contains("\n├─Linear: 1-1                            [1, 4]                    True\n"));
    /// ```
    pub fn columns(mut self, columns: &'a [Column]) -> Self {
        self.columns = columns;
        self
    }

    /// How many levels of the module tree to show (torchinfo's `depth`; the
    /// network's own steps are level 1).
    ///
    /// ```
    /// use netshape_core::{Layer, Summary};
    ///
    /// let layers = [Layer { name: "fc", kind: "Linear", input: &[4], output: &[2], params: 10, trainable: 10, ..Layer::EMPTY }];
    /// let summary = Summary { name: "Tiny", inputs: &[&[4]], layers: &layers };
    /// assert!(!summary.torchinfo().depth(0).to_string().contains("Linear"));
    /// ```
    pub fn depth(mut self, depth: usize) -> Self {
        self.depth = depth;
        self
    }

    /// The batch size (the first entry of torchinfo's `input_size`), which
    /// shapes, mult-adds and sizes include.
    ///
    /// ```
    /// use netshape_core::{Layer, Summary};
    ///
    /// let layers = [Layer { name: "fc", kind: "Linear", input: &[4], output: &[2], params: 10, trainable: 10, ..Layer::EMPTY }];
    /// let summary = Summary { name: "Tiny", inputs: &[&[4]], layers: &layers };
    /// assert!(summary.torchinfo().batch(8).to_string().contains("├─Linear: 1-1                            [8, 2]"));
    /// ```
    pub fn batch(mut self, batch: usize) -> Self {
        self.batch = batch;
        self
    }

    /// The element type of inputs, parameters and outputs, for the sizes in MB.
    ///
    /// ```
    /// use netshape_core::{Dtype, Layer, Summary};
    ///
    /// let layers = [Layer { name: "fc", kind: "Linear", input: &[4], output: &[2], params: 250_000, trainable: 250_000, ..Layer::EMPTY }];
    /// let summary = Summary { name: "Tiny", inputs: &[&[4]], layers: &layers };
    /// assert!(summary.torchinfo().to_string().contains("Params size (MB): 1.00\n"));
    /// assert!(summary.torchinfo().dtype(Dtype::F16).to_string().contains("Params size (MB): 0.50\n"));
    /// ```
    pub fn dtype(mut self, dtype: Dtype) -> Self {
        self.dtype = dtype;
        self
    }

    /// The root row's label, the model's class name (by default the
    /// [`Summary`]'s name, the Rust struct's).
    ///
    /// ```
    /// use netshape_core::{Layer, Summary};
    ///
    /// let layers = [Layer { name: "fc", kind: "Linear", input: &[4], output: &[2], params: 10, trainable: 10, ..Layer::EMPTY }];
    /// let summary = Summary { name: "Tiny", inputs: &[&[4]], layers: &layers };
    /// assert!(summary.torchinfo().name("TinyNet").to_string().contains("\nTinyNet    "));
    /// ```
    pub fn name(mut self, name: &'a str) -> Self {
        self.name = name;
        self
    }

    /// "Total mult-adds" as an integer, for the batch: the sum over every leaf
    /// module call of its Mult-Adds (see the type's docs for the convention;
    /// torchinfo's `ModelStatistics.total_mult_adds`).
    ///
    /// ```
    /// use netshape_core::{Layer, Summary};
    ///
    /// let layers = [
    ///     // 10 × 3 × 3 weights and 10 biases, at 26 × 26 output positions.
    ///     Layer { name: "conv", kind: "Conv2d", input: &[1, 28, 28], output: &[10, 26, 26], params: 100, trainable: 100, kernel: &[3, 3], groups: 1, ..Layer::EMPTY },
    ///     // A BatchNorm's 20 parameters count once per sample.
    ///     Layer { name: "bn", kind: "BatchNorm2d", input: &[10, 26, 26], output: &[10, 26, 26], params: 20, trainable: 20, ..Layer::EMPTY },
    /// ];
    /// let summary = Summary { name: "Tiny", inputs: &[&[1, 28, 28]], layers: &layers };
    /// assert_eq!(summary.torchinfo().total_mult_adds(), 100 * 26 * 26 + 20);
    /// assert_eq!(summary.torchinfo().batch(2).total_mult_adds(), 2 * (100 * 26 * 26 + 20));
    /// ```
    pub fn total_mult_adds(&self) -> u64 {
        let tree = Tree::new(self);
        tree.nodes.iter().filter(|node| node.leaf).map(|node| node.macs).sum()
    }
}

/// The `sys.getsizeof` overhead of a tensor's storage object that torchinfo
/// adds to each input's bytes (CPython 3.11, PyTorch 1.13, 64-bit).
const STORAGE_OVERHEAD: u64 = 56;

/// torchinfo's `LayerInfo`: one module call, in torchinfo's order.
struct Node<'a> {
    /// The call's step; `None` for the root row, the model itself.
    layer: Option<&'a Layer<'a>>,
    /// torchinfo's depth: 0 for the model, 1 for its own modules.
    depth: usize,
    /// Its number among the rows of its depth.
    index: usize,
    /// One past its last descendant in `nodes`.
    end: usize,
    /// Whether the module has no child modules.
    leaf: bool,
    /// Whether the module was called before.
    recursive: bool,
    /// Parameters of the module and all its children (torchinfo's `num_params`).
    params: u64,
    /// The trainable ones among them.
    trainable: u64,
    /// torchinfo's `macs` for a leaf's call; unused for other modules.
    macs: u64,
    /// `params` less what its descendants show (torchinfo's `leftover_params`).
    leftover: i128,
    /// The same for trainable parameters.
    leftover_trainable: i128,
}

/// The rows of torchinfo's table with everything its cells and totals need.
struct Tree<'a> {
    nodes: Vec<Node<'a>>,
    total_params: u64,
    trainable_params: u64,
}

/// A module call and the calls it makes, built from netshape's post-order rows.
struct Call<'a> {
    layer: &'a Layer<'a>,
    children: Vec<Call<'a>>,
}

/// The modules whose rows netshape's DSL shows without child rows but which
/// have child modules in PyTorch (so torchinfo counts them as containers).
/// `MultiheadAttention` owns `out_proj`, a `Linear` its forward never calls.
const HAS_HIDDEN_CHILDREN: &[&str] = &["MultiheadAttention"];

/// The recurrent modules, whose weights torchinfo counts over the output's
/// first two dims (their parameters are `weight_ih_l0` …, not `weight`).
const RECURRENT: &[&str] = &["RNN", "LSTM", "GRU", "RNNCell", "LSTMCell", "GRUCell"];

/// A container the forward never calls, as a `ModuleList`, whose modules are
/// called one by one: its row has no shapes.
fn uncalled(layer: &Layer) -> bool {
    layer.container && layer.input.is_empty() && layer.output.is_empty()
}

fn product(dims: &[usize]) -> u64 {
    dims.iter().map(|&dim| dim as u64).product()
}

impl<'a> Tree<'a> {
    fn new(view: &TorchInfo<'a>) -> Self {
        let rows = view.summary.layers.iter().filter(|layer| !layer.functional);

        // Parameters per module (the first call's), and which modules have children.
        let mut own: BTreeMap<&str, (u64, u64)> = BTreeMap::new();
        for layer in rows.clone() {
            // torchinfo counts a module's uncalled children with it.
            let params = (layer.params + layer.uncalled_params) as u64;
            own.entry(layer.name).or_insert((params, (layer.trainable + layer.uncalled_trainable) as u64));
        }
        let below = |name: &str| {
            let prefix = alloc::format!("{name}.");
            own.range::<str, _>((Bound::Included(prefix.as_str()), Bound::Unbounded))
                .take_while(move |(path, _)| path.starts_with(prefix.as_str()))
                .map(|(_, &counts)| counts)
                .collect::<Vec<_>>()
        };

        // netshape lists a call after the calls it makes: collect those on a stack.
        let mut stack: Vec<Call<'a>> = Vec::new();
        // The network's own parameters are its root row's, not a row.
        for layer in rows.filter(|layer| !layer.name.is_empty()) {
            let mut children = Vec::new();
            while stack.last().is_some_and(|call| Layer::is_inside(call.layer.name, layer.name)) {
                children.extend(stack.pop());
            }
            children.reverse();
            stack.push(Call { layer, children });
        }

        let total = own.values().fold((0, 0), |(params, trainable), &(p, t)| (params + p, trainable + t));
        let batch = view.batch as u64;
        let mut nodes = Vec::new();
        nodes.push(Node {
            layer: None,
            depth: 0,
            index: 0,
            end: 0,
            leaf: false,
            recursive: false,
            params: total.0,
            trainable: total.1,
            macs: 0,
            leftover: 0,
            leftover_trainable: 0,
        });
        let mut seen = alloc::collections::BTreeSet::new();
        let mut pending: Vec<Call<'a>> = stack;
        pending.reverse();
        while let Some(call) = pending.pop() {
            let layer = call.layer;
            let inner = below(layer.name);
            let (mut params, mut trainable) = own[layer.name];
            for (p, t) in &inner {
                params += p;
                trainable += t;
            }
            let leaf = inner.is_empty() && !HAS_HIDDEN_CHILDREN.contains(&layer.kind);
            let macs = if !leaf || params == 0 {
                0
            } else if layer.kind.contains("Conv") {
                params * batch * product(layer.output.get(1..).unwrap_or(&[]))
            } else if RECURRENT.contains(&layer.kind) {
                params * batch * layer.output.first().map_or(1, |&dim| dim as u64)
            } else {
                params * batch
            };
            nodes.push(Node {
                layer: Some(layer),
                depth: layer.depth + 1,
                index: 0,
                end: 0,
                leaf,
                recursive: !seen.insert(layer.name),
                params,
                trainable,
                macs,
                leftover: 0,
                leftover_trainable: 0,
            });
            pending.extend(call.children.into_iter().rev());
        }

        // torchinfo's `set_children_layers`: numbers per depth, and a row's
        // children are the rows after it that are deeper.
        let mut counters: Vec<usize> = Vec::new();
        for at in 0..nodes.len() {
            let depth = nodes[at].depth;
            if counters.len() <= depth {
                counters.resize(depth + 1, 0);
            }
            counters[depth] += 1;
            nodes[at].index = counters[depth];
            let end = (at + 1..nodes.len()).find(|&next| nodes[next].depth <= depth).unwrap_or(nodes.len());
            nodes[at].end = end;
        }
        for at in (0..nodes.len()).rev() {
            let (mut params, mut trainable) = (nodes[at].params as i128, nodes[at].trainable as i128);
            for child in &nodes[at + 1..nodes[at].end] {
                if child.recursive {
                    continue;
                }
                if child.leaf {
                    params -= child.params as i128;
                    trainable -= child.trainable as i128;
                } else {
                    params -= child.leftover;
                    trainable -= child.leftover_trainable;
                }
            }
            nodes[at].leftover = params;
            nodes[at].leftover_trainable = trainable;
        }

        // torchinfo's `ModelStatistics` totals.
        let (mut total_params, mut trainable_params) = (0, 0);
        for node in nodes.iter().filter(|node| !node.recursive) {
            if node.leaf {
                total_params += node.params;
                trainable_params += node.trainable;
            } else {
                total_params += node.leftover.max(0) as u64;
                trainable_params += node.leftover_trainable.max(0) as u64;
            }
        }
        Tree { nodes, total_params, trainable_params }
    }
}

/// Writes sizes as Python prints a list of ints: `[3, 3]`.
fn list(sizes: impl IntoIterator<Item = usize>) -> String {
    let mut text = String::from("[");
    for (at, size) in sizes.into_iter().enumerate() {
        let separator = if at > 0 { ", " } else { "" };
        let _ = write!(text, "{separator}{size}");
    }
    text.push(']');
    text
}

/// Writes a shape with the batch first: `[1, 64, 56, 56]`.
fn shape(batch: usize, dims: &[usize]) -> String {
    list(core::iter::once(batch).chain(dims.iter().copied()))
}

/// Formats an integer as Python's `{:,}`.
fn grouped(value: u128) -> String {
    Grouped(value).to_string()
}

/// Formats a non-negative float as Python's `{:,.2f}`.
fn grouped_float(value: f64) -> String {
    let text = alloc::format!("{value:.2}");
    let (whole, fraction) = text.split_once('.').unwrap_or((&text, "00"));
    let whole: u128 = whole.parse().unwrap_or(0);
    alloc::format!("{}.{fraction}", grouped(whole))
}

/// torchinfo's `ModelStatistics.format_output_num` for mult-adds (`Units.AUTO`).
fn mult_adds_line(total: u64) -> String {
    let value = total as f64;
    let (unit, converted) = if value >= 1e12 {
        ("Units.TERABYTES", value / 1e12)
    } else if value >= 1e9 {
        ("Units.GIGABYTES", value / 1e9)
    } else {
        ("Units.MEGABYTES", value / 1e6)
    };
    // Python's `float.is_integer()` (`f64::fract` is not in `core`).
    let whole = converted as u128;
    let number = if whole as f64 == converted { grouped(whole) } else { grouped_float(converted) };
    alloc::format!("Total mult-adds ({unit}): {number}")
}

impl TorchInfo<'_> {
    /// The cell of `column` for `node`, as torchinfo's `layer_info_to_row` writes it.
    fn cell(&self, tree: &Tree<'_>, at: usize, column: Column) -> String {
        let node = &tree.nodes[at];
        let reached_max_depth = node.depth == self.depth;
        let dash = || "--".to_string();
        match column {
            Column::InputSize => match node.layer {
                // A container never called (a `ModuleList`) has no shapes.
                Some(layer) if uncalled(layer) => dash(),
                Some(layer) => shape(self.batch, layer.input),
                None => match self.summary.inputs.first() {
                    Some(input) => shape(self.batch, input),
                    None => dash(),
                },
            },
            Column::OutputSize => match node.layer.or_else(|| {
                // The root shows the network's output: the last step's, not
                // its own parameters' row.
                self.summary.layers.iter().rev().find(|layer| !(layer.container && layer.name.is_empty()))
            }) {
                Some(layer) if uncalled(layer) => dash(),
                Some(layer) => shape(self.batch, layer.output),
                None => dash(),
            },
            Column::KernelSize => match node.layer {
                Some(layer) if !layer.kernel.is_empty() && !layer.kind.starts_with("Adaptive") => {
                    let square = layer.kernel.iter().all(|&size| size == layer.kernel[0]);
                    if layer.kind.contains("Conv") || !square {
                        list(layer.kernel.iter().copied())
                    } else {
                        layer.kernel[0].to_string()
                    }
                }
                _ => dash(),
            },
            Column::Groups => match node.layer {
                Some(layer) if layer.groups > 0 => layer.groups.to_string(),
                _ => dash(),
            },
            Column::NumParams => {
                if node.params == 0 {
                    dash()
                } else if node.recursive {
                    "(recursive)".to_string()
                } else if reached_max_depth || node.leaf {
                    let count = grouped(node.params.into());
                    if node.trainable > 0 {
                        count
                    } else {
                        alloc::format!("({count})")
                    }
                } else if node.leftover > 0 {
                    grouped(node.leftover as u128)
                } else {
                    dash()
                }
            }
            Column::ParamsPercent => {
                let zero = "     --".to_string();
                if tree.total_params == 0 {
                    return zero;
                }
                if node.recursive {
                    return "(recursive)".to_string();
                }
                let params = if reached_max_depth || node.leaf { node.params as i128 } else { node.leftover };
                if params == 0 {
                    return zero;
                }
                let percent = alloc::format!("{:.2}%", params as f64 / tree.total_params as f64 * 100.0);
                alloc::format!("{percent:>7}")
            }
            Column::MultAdds => {
                let positive = if node.leaf { node.macs > 0 } else { node.params > 0 };
                if !positive {
                    dash()
                } else if node.leaf {
                    grouped(node.macs.into())
                } else if reached_max_depth {
                    let sum: u64 =
                        tree.nodes[at + 1..node.end].iter().filter(|child| child.leaf).map(|child| child.macs).sum();
                    grouped(sum.into())
                } else {
                    dash()
                }
            }
            Column::ReceptiveField => match node.layer {
                Some(layer) if !layer.receptive_field.is_empty() => {
                    let mut text = String::from("[");
                    for (axis, field) in layer.receptive_field.iter().enumerate() {
                        let separator = if axis > 0 { ", " } else { "" };
                        let _ = write!(text, "{separator}{}", field.size);
                    }
                    text.push(']');
                    text
                }
                _ => dash(),
            },
            Column::Trainable => {
                if node.params == 0 {
                    dash()
                } else if node.trainable == 0 {
                    "False".to_string()
                } else if node.trainable == node.params {
                    "True".to_string()
                } else {
                    "Partial".to_string()
                }
            }
        }
    }

    /// The row's label without its tree prefix: `Conv2d: 3-1`, or the model's name.
    fn title(&self, node: &Node<'_>) -> String {
        match node.layer {
            Some(layer) => alloc::format!("{}: {}-{}", layer.kind, node.depth, node.index),
            None => self.name.to_string(),
        }
    }
}

/// torchinfo's `FormattingOptions.format_row`: left-aligned cells, one space
/// apart, trailing spaces removed.
fn write_row<'c>(
    f: &mut fmt::Formatter<'_>,
    name_width: usize,
    name: &str,
    cells: impl Iterator<Item = &'c str>,
) -> fmt::Result {
    let mut line = alloc::format!("{name:<name_width$} ");
    for cell in cells {
        let _ = write!(line, "{cell:<25} ");
    }
    writeln!(f, "{}", line.trim_end())
}

impl fmt::Display for TorchInfo<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let tree = Tree::new(self);

        // `set_layer_name_width`: every row counts, shown or not.
        let longest = tree.nodes.iter().map(|node| self.title(node).chars().count() + node.depth * 5 + 1).max();
        let longest = longest.unwrap_or(0);
        let name_width = if longest >= 40 { longest.div_ceil(5) * 5 } else { 40 };
        let divider = "=".repeat(self.columns.len() * 25 + name_width);

        writeln!(f, "{divider}")?;
        write_row(f, name_width, "Layer (type:depth-idx)", self.columns.iter().map(|column| column.title()))?;
        writeln!(f, "{divider}")?;
        for (at, node) in tree.nodes.iter().enumerate() {
            if node.depth > self.depth {
                continue;
            }
            let prefix = match node.depth {
                0 => String::new(),
                1 => "├─".to_string(),
                depth => alloc::format!("{}└─", "│    ".repeat(depth - 1)),
            };
            let cells: Vec<String> = self.columns.iter().map(|&column| self.cell(&tree, at, column)).collect();
            let name = alloc::format!("{prefix}{}", self.title(node));
            write_row(f, name_width, &name, cells.iter().map(String::as_str))?;
        }

        let mult_adds: u64 = tree.nodes.iter().filter(|node| node.leaf).map(|node| node.macs).sum();
        let bytes = self.dtype.bytes() as u64;
        let batch = self.batch;
        let input: u64 =
            self.summary.inputs.iter().map(|dims| bytes * product(dims) * batch as u64 + STORAGE_OVERHEAD).sum();
        let outputs: u64 = tree
            .nodes
            .iter()
            .filter(|node| node.leaf && node.params > 0)
            .filter_map(|node| node.layer)
            .map(|layer| 2 * bytes * batch as u64 * product(layer.output))
            .sum();
        let params: u64 =
            tree.nodes.iter().filter(|node| node.leaf && !node.recursive).map(|node| bytes * node.params).sum();
        let mb = |bytes: u64| bytes as f64 / 1e6;

        writeln!(f, "{divider}")?;
        writeln!(f, "Total params: {}", grouped(tree.total_params.into()))?;
        writeln!(f, "Trainable params: {}", grouped(tree.trainable_params.into()))?;
        writeln!(
            f,
            "Non-trainable params: {}",
            grouped(tree.total_params.saturating_sub(tree.trainable_params).into())
        )?;
        writeln!(f, "{}", mult_adds_line(mult_adds))?;
        writeln!(f, "{divider}")?;
        writeln!(f, "Input size (MB): {:.2}", mb(input))?;
        writeln!(f, "Forward/backward pass size (MB): {:.2}", mb(outputs))?;
        writeln!(f, "Params size (MB): {:.2}", mb(params))?;
        writeln!(f, "Estimated Total Size (MB): {:.2}", mb(input + outputs + params))?;
        write!(f, "{divider}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ReceptiveField;
    use std::string::ToString;
    use std::vec::Vec;

    const fn field(size: f64, jump: f64) -> [ReceptiveField; 2] {
        [ReceptiveField { size, jump, start: 0.5 }; 2]
    }

    /// A frozen conv, a depthwise conv and a linear layer on a `[4, 250, 250]`
    /// input (250,000 elements):
    ///
    /// - `conv`: `Conv2d(4, 8, 3, padding = 1)`, frozen: 8·4·9 + 8 = 296
    ///   parameters, output `[8, 250, 250]` (500,000 elements, 62,500
    ///   positions), receptive field 3;
    /// - `dw`: `Conv2d(8, 8, 3, stride = 2, padding = 1, groups = 8)`: 8·9 + 8
    ///   = 80 parameters, output `[8, 125, 125]` (125,000 elements, 15,625
    ///   positions), receptive field 3 + 2·1 = 5 (jump 2);
    /// - `flatten(1)`, a functional op: `[125000]`;
    /// - `fc`: `Linear(125000, 8)`: 1,000,008 parameters, output `[8]`.
    ///
    /// Total 1,000,384 parameters, 1,000,088 trainable, 296 not.
    const LAYERS: [Layer<'static>; 4] = [
        Layer {
            name: "conv",
            kind: "Conv2d",
            input: &[4, 250, 250],
            output: &[8, 250, 250],
            params: 296,
            trainable: 0,
            kernel: &[3, 3],
            groups: 1,
            receptive_field: &field(3.0, 1.0),
            ..Layer::EMPTY
        },
        Layer {
            name: "dw",
            kind: "Conv2d",
            input: &[8, 250, 250],
            output: &[8, 125, 125],
            params: 80,
            trainable: 80,
            kernel: &[3, 3],
            groups: 8,
            receptive_field: &field(5.0, 2.0),
            ..Layer::EMPTY
        },
        Layer { kind: "flatten", functional: true, input: &[8, 125, 125], output: &[125_000], ..Layer::EMPTY },
        Layer {
            name: "fc",
            kind: "Linear",
            input: &[125_000],
            output: &[8],
            params: 1_000_008,
            trainable: 1_000_008,
            ..Layer::EMPTY
        },
    ];

    const SUMMARY: Summary<'static> = Summary { name: "Small", inputs: &[&[4, 250, 250]], layers: &LAYERS };

    fn lines(view: TorchInfo<'_>) -> Vec<std::string::String> {
        view.to_string().lines().map(ToString::to_string).collect()
    }

    /// Groups, Param % and Receptive Field; the frozen conv's count in
    /// parentheses. Param %: 296 / 1,000,384 = 0.0296 %, 80 / 1,000,384 =
    /// 0.0080 %, 1,000,008 / 1,000,384 = 99.9624 %; the root has no
    /// parameters of its own ("--", right-aligned as torchinfo's zero).
    #[test]
    fn shows_netshapes_columns() {
        let columns =
            [Column::Groups, Column::NumParams, Column::ParamsPercent, Column::ReceptiveField, Column::Trainable];
        let lines = lines(SUMMARY.torchinfo().columns(&columns));
        assert_eq!(
            lines[1],
            "Layer (type:depth-idx)                   Groups                    Param #                   Param %                   Receptive Field           Trainable"
        );
        assert_eq!(lines[0].len(), 40 + 5 * 25);
        assert_eq!(
            &lines[3..7],
            [
                "Small                                    --                        --                             --                   --                        Partial",
                "├─Conv2d: 1-1                            1                         (296)                       0.03%                   [3, 3]                    False",
                "├─Conv2d: 1-2                            8                         80                          0.01%                   [5, 5]                    True",
                "├─Linear: 1-3                            --                        1,000,008                  99.96%                   --                        True",
            ]
        );
        assert_eq!(
            &lines[8..11],
            ["Total params: 1,000,384", "Trainable params: 1,000,088", "Non-trainable params: 296"]
        );
    }

    /// Mult-adds for a batch of 1: conv 296 · 62,500 = 18,500,000, dw 80 ·
    /// 15,625 = 1,250,000, fc 1,000,008: 20,750,008 in all, "20.75" millions.
    /// Sizes (MB of 10⁶ bytes, 4-byte floats): input 250,000 · 4 + 56 =
    /// 1,000,056; forward/backward 2 · 4 · (500,000 + 125,000 + 8) =
    /// 5,000,064; params 1,000,384 · 4 = 4,001,536; total 10,001,656.
    #[test]
    fn counts_a_batch_of_one_in_float32() {
        let view = SUMMARY.torchinfo().columns(&[Column::MultAdds]);
        assert_eq!(view.total_mult_adds(), 20_750_008);
        let lines = lines(view);
        assert_eq!(lines[4], "├─Conv2d: 1-1                            18,500,000");
        assert_eq!(
            &lines[11..17],
            [
                "Total mult-adds (Units.MEGABYTES): 20.75",
                "=================================================================",
                "Input size (MB): 1.00",
                "Forward/backward pass size (MB): 5.00",
                "Params size (MB): 4.00",
                "Estimated Total Size (MB): 10.00",
            ]
        );
    }

    /// A batch of 8 multiplies shapes, mult-adds (8 · 20,750,008 =
    /// 166,000,064: "166.00"), the input (8,000,000 + 56 bytes) and the
    /// activations (40,000,512 bytes), not the parameters (4,001,536 bytes);
    /// total 52,002,104.
    #[test]
    fn counts_a_batch_of_eight() {
        let view = SUMMARY.torchinfo().batch(8).columns(&[Column::InputSize, Column::OutputSize]);
        assert_eq!(view.total_mult_adds(), 166_000_064);
        let lines = lines(view);
        assert_eq!(lines[3], "Small                                    [8, 4, 250, 250]          [8, 8]");
        assert_eq!(lines[5], "├─Conv2d: 1-2                            [8, 8, 250, 250]          [8, 8, 125, 125]");
        assert_eq!(
            &lines[11..17],
            [
                "Total mult-adds (Units.MEGABYTES): 166.00",
                "==========================================================================================",
                "Input size (MB): 8.00",
                "Forward/backward pass size (MB): 40.00",
                "Params size (MB): 4.00",
                "Estimated Total Size (MB): 52.00",
            ]
        );
    }

    /// 2-byte halves of a batch of 8: input 4,000,000 + 56 bytes, activations
    /// 20,000,256, parameters 2,000,768; total 26,001,080.
    #[test]
    fn sizes_follow_the_dtype() {
        let lines = lines(SUMMARY.torchinfo().batch(8).dtype(Dtype::F16));
        assert_eq!(
            &lines[lines.len() - 5..],
            [
                "Input size (MB): 4.00",
                "Forward/backward pass size (MB): 20.00",
                "Params size (MB): 2.00",
                "Estimated Total Size (MB): 26.00",
                "=========================================================================================="
            ]
        );
    }

    /// Units: millions below 10⁹ (two decimals unless whole), billions,
    /// trillions, and Python's `{:,}` above a thousand of them.
    #[test]
    fn chooses_torchinfos_units() {
        assert_eq!(mult_adds_line(0), "Total mult-adds (Units.MEGABYTES): 0");
        assert_eq!(mult_adds_line(2_000_000), "Total mult-adds (Units.MEGABYTES): 2");
        assert_eq!(mult_adds_line(714_675_000), "Total mult-adds (Units.MEGABYTES): 714.67");
        assert_eq!(mult_adds_line(1_814_083_944), "Total mult-adds (Units.GIGABYTES): 1.81");
        assert_eq!(mult_adds_line(3_000_000_000_000), "Total mult-adds (Units.TERABYTES): 3");
        assert_eq!(mult_adds_line(1_234_567_000_000_000), "Total mult-adds (Units.TERABYTES): 1,234.57");
    }
}
