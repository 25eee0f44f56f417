/// One step of a network as the `network!` macro computed it: a module (a row
/// of torchsummary's table) or a functional op (which shapes the data but is no
/// row).
///
/// Shapes leave the batch dimension out, as torchsummary's `input_size` does.
///
/// ```
/// use netshape_core::{Layer, ReceptiveField, Source};
///
/// let conv = Layer {
///     name: "conv1",
///     kind: "Conv2d",
///     functional: false,
///     container: false,
///     depth: 0,
///     sources: &[Source::Input(0)],
///     input: &[1, 28, 28],
///     output: &[10, 24, 24],
///     output_formula: "",
///     extra_outputs: &[],
///     params: 260,
///     trainable: 260,
///     buffers: 0,
///     raw_params: 0,
///     raw_trainable: 0,
///     uncalled_params: 0,
///     uncalled_trainable: 0,
///     kernel: &[5, 5],
///     groups: 1,
///     mult_adds: 144_000,
///     bias_adds: 5_760,
///     inplace: false,
///     view: false,
///     receptive_field: &[ReceptiveField { size: 5.0, jump: 1.0, start: 2.5 }; 2],
/// };
/// assert_eq!(conv.output.iter().product::<usize>(), 5_760);
/// ```
///
/// A `Layer` with no more than the name, kind and shapes:
///
/// ```
/// use netshape_core::Layer;
///
/// let relu = Layer { kind: "ReLU", input: &[64], output: &[64], ..Layer::EMPTY };
/// assert_eq!(relu.params, 0);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Layer<'a> {
    /// The module's path, the prefix of its `state_dict` keys (`conv1`,
    /// `features.0`); empty for a functional op.
    pub name: &'a str,
    /// The `torch.nn` class (`Conv2d`) or, for a functional op, the function
    /// (`max_pool2d`).
    pub kind: &'a str,
    /// Whether this step is a functional op (`F.relu`, `x.view`) rather than a module.
    pub functional: bool,
    /// Whether this module is an `nn.Sequential` (or `ModuleList`): torchinfo
    /// shows containers, torchsummary does not.
    pub container: bool,
    /// How deep the module sits below the network: 0 for a step of the network
    /// itself, 1 for a child of one of them (a Transformer layer's `self_attn`).
    pub depth: usize,
    /// Where the step's inputs come from, in order.
    pub sources: &'a [Source],
    /// The shape this step receives (its first input's), batch left out.
    pub input: &'a [usize],
    /// The shape this step produces, batch left out: what the next step receives.
    pub output: &'a [usize],
    /// For a network whose input sizes vary (`where H in …`), the output's
    /// shape as a formula of them: `[64, ⌊(H + 1)/2⌋, ⌊(W + 1)/2⌋]`; empty
    /// when it does not vary. `output` is its value at the default sizes.
    pub output_formula: &'a str,
    /// Further outputs shown in the summary: an LSTM's `h_n` and `c_n`,
    /// attention weights.
    pub extra_outputs: &'a [ExtraOutput<'a>],
    /// Number of parameters this step owns.
    pub params: usize,
    /// Number of those parameters that are trainable (`requires_grad`).
    pub trainable: usize,
    /// Number of buffer elements this step owns (BatchNorm's running statistics).
    pub buffers: usize,
    /// Of `params`, those the module registers itself (`nn.Parameter`, as
    /// ConvNeXt's `layer_scale`) rather than as a layer's `weight` or `bias`:
    /// torchsummary, which counts `weight` and `bias` only, leaves them out.
    /// A network's own (ViT's `class_token`) are on a container row with an
    /// empty `name`, which only torchinfo's root row shows.
    pub raw_params: usize,
    /// Of `raw_params`, the trainable ones.
    pub raw_trainable: usize,
    /// Parameters of child modules the forward never calls, which have no
    /// row of their own (`MultiheadAttention`'s `out_proj`): not in `params`,
    /// which are the module's own, but in torchinfo's count for the module.
    pub uncalled_params: usize,
    /// Of `uncalled_params`, the trainable ones.
    pub uncalled_trainable: usize,
    /// The kernel's spatial size, for convs and pools; empty elsewhere.
    pub kernel: &'a [usize],
    /// The number of groups the channels are split into, for convs; 0 elsewhere.
    pub groups: usize,
    /// Multiply-accumulates of the weights for one sample (see the crate docs
    /// for the convention).
    pub mult_adds: u64,
    /// Additions of the biases for one sample: one per output element.
    pub bias_adds: u64,
    /// Whether the step writes its output over its input (`inplace = true`).
    pub inplace: bool,
    /// Whether the output shares the input's memory without copying it: a
    /// reshape (`view`, `flatten`), `transpose`, `permute`, `squeeze`, `chunk`,
    /// `Identity`.
    pub view: bool,
    /// The receptive field of an output unit along each spatial axis; empty
    /// once the spatial axes are gone (after `flatten`, a linear layer…).
    pub receptive_field: &'a [ReceptiveField],
}

impl Layer<'_> {
    /// Elements of every output for one sample: the main output and the
    /// further ones (an LSTM's `h_n` and `c_n`).
    ///
    /// ```
    /// use netshape_core::{ExtraOutput, Layer};
    ///
    /// let hidden = [ExtraOutput { shape: &[1, 20], batch_dim: 1 }; 2];
    /// let lstm = Layer { kind: "LSTM", output: &[5, 20], extra_outputs: &hidden, ..Layer::EMPTY };
    /// assert_eq!(lstm.output_elements(), 100 + 20 + 20);
    /// ```
    pub fn output_elements(&self) -> usize {
        let numel = |shape: &[usize]| shape.iter().product::<usize>();
        numel(self.output) + self.extra_outputs.iter().map(|extra| numel(extra.shape)).sum::<usize>()
    }

    /// Whether `path` names a module inside the module `parent`
    /// (`layer1.0.conv1` inside `layer1`, `layer10` not).
    pub(crate) fn is_inside(path: &str, parent: &str) -> bool {
        !parent.is_empty()
            && path.len() > parent.len()
            && path.starts_with(parent)
            && path.as_bytes()[parent.len()] == b'.'
    }

    /// A layer with every field empty or zero, to fill in with `..Layer::EMPTY`.
    pub const EMPTY: Layer<'static> = Layer {
        name: "",
        kind: "",
        functional: false,
        container: false,
        depth: 0,
        sources: &[],
        input: &[],
        output: &[],
        output_formula: "",
        extra_outputs: &[],
        params: 0,
        trainable: 0,
        buffers: 0,
        raw_params: 0,
        raw_trainable: 0,
        uncalled_params: 0,
        uncalled_trainable: 0,
        kernel: &[],
        groups: 0,
        mult_adds: 0,
        bias_adds: 0,
        inplace: false,
        view: false,
        receptive_field: &[],
    };
}

/// Where a step's input comes from.
///
/// ```
/// use netshape_core::Source;
///
/// assert_ne!(Source::Input(0), Source::Layer(0));
/// ```
///
/// With the `serde` feature it serializes as `{"input": 0}` or `{"layer": 3}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize), serde(rename_all = "lowercase"))]
pub enum Source {
    /// The network's input with this index.
    Input(usize),
    /// The output of the step with this index in `LAYERS`.
    Layer(usize),
}

/// The receptive field of a unit along one spatial axis, in input pixels, as
/// Araujo et al. define it ("Computing Receptive Fields of Convolutional Neural
/// Networks", Distill, 2019).
///
/// ```
/// use netshape_core::ReceptiveField;
///
/// // After torchvision's ResNet stem, conv 7/s2/p3 then max pool 3/s2/p1:
/// let stem = ReceptiveField { size: 11.0, jump: 4.0, start: 0.5 };
/// assert_eq!(stem.to_string(), "11 (jump 4, start 0.5)");
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct ReceptiveField {
    /// How many input pixels a unit sees (`r`).
    pub size: f64,
    /// How far apart neighbouring units are, in input pixels (`j`, the
    /// effective stride).
    pub jump: f64,
    /// Where the first unit's field is centred, in input pixels.
    pub start: f64,
}

impl core::fmt::Display for ReceptiveField {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "{} (jump {}, start {})", self.size, self.jump, self.start)
    }
}

/// A further output of a step, beside the one the next step receives.
///
/// Its batch need not come first: an RNN's `h_n` is `[layers × directions, N,
/// hidden]` in PyTorch, so its `shape` is `[layers × directions, hidden]` and
/// `batch_dim` is 1.
///
/// ```
/// use netshape_core::ExtraOutput;
///
/// let h_n = ExtraOutput { shape: &[2, 53], batch_dim: 1 };
/// assert_eq!(h_n.to_string(), "[2, -1, 53]");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct ExtraOutput<'a> {
    /// The shape, batch left out.
    pub shape: &'a [usize],
    /// Where PyTorch puts the batch in this tensor.
    pub batch_dim: usize,
}

impl core::fmt::Display for ExtraOutput<'_> {
    /// The shape as torchsummary would print it, `-1` for the batch.
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("[")?;
        for index in 0..=self.shape.len() {
            if index > 0 {
                f.write_str(", ")?;
            }
            match index.cmp(&self.batch_dim) {
                core::cmp::Ordering::Less => write!(f, "{}", self.shape[index])?,
                core::cmp::Ordering::Equal => f.write_str("-1")?,
                core::cmp::Ordering::Greater => write!(f, "{}", self.shape[index - 1])?,
            }
        }
        f.write_str("]")
    }
}

/// One tensor of a network's `state_dict`: its key and shape, in PyTorch's order.
///
/// ```
/// use netshape_core::StateEntry;
///
/// let entry = StateEntry { key: "bn1.num_batches_tracked", shape: &[], buffer: true };
/// assert_eq!(entry.numel(), 1);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct StateEntry<'a> {
    /// The `state_dict` key, e.g. `conv1.weight`.
    pub key: &'a str,
    /// The tensor's shape; empty for a scalar such as `num_batches_tracked`.
    pub shape: &'a [usize],
    /// Whether the tensor is a buffer (running statistics) rather than a parameter.
    pub buffer: bool,
}

/// `key: [shape]`, and ` (buffer)` after a buffer, one entry a line as
/// `for (key, value) in model.state_dict().items()` would print them.
///
/// ```
/// use netshape_core::StateEntry;
///
/// let weight = StateEntry { key: "conv1.weight", shape: &[64, 3, 7, 7], buffer: false };
/// assert_eq!(weight.to_string(), "conv1.weight: [64, 3, 7, 7]");
/// let count = StateEntry { key: "bn1.num_batches_tracked", shape: &[], buffer: true };
/// assert_eq!(count.to_string(), "bn1.num_batches_tracked: [] (buffer)");
/// ```
impl core::fmt::Display for StateEntry<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "{}: [", self.key)?;
        for (index, size) in self.shape.iter().enumerate() {
            if index > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{size}")?;
        }
        f.write_str("]")?;
        if self.buffer {
            f.write_str(" (buffer)")?;
        }
        Ok(())
    }
}

impl StateEntry<'_> {
    /// Number of elements of the tensor (1 for a scalar).
    pub const fn numel(&self) -> usize {
        let mut numel = 1;
        let mut axis = 0;
        while axis < self.shape.len() {
            numel *= self.shape[axis];
            axis += 1;
        }
        numel
    }
}
