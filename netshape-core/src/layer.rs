/// One step of a network as the `network!` macro computed it: a module (a row
/// of torchsummary's table) or a functional op (which shapes the data but is no
/// row).
///
/// Shapes leave the batch dimension out, as torchsummary's `input_size` does.
///
/// ```
/// use netshape_core::Layer;
///
/// let conv = Layer {
///     name: "conv1",
///     kind: "Conv2d",
///     functional: false,
///     input: &[1, 28, 28],
///     output: &[10, 24, 24],
///     params: 260,
///     trainable: 260,
///     buffers: 0,
/// };
/// assert_eq!(conv.output.iter().product::<usize>(), 5_760);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Layer<'a> {
    /// The module's path, the prefix of its `state_dict` keys (`conv1`,
    /// `features.0`); empty for a functional op.
    pub name: &'a str,
    /// The `torch.nn` class (`Conv2d`) or, for a functional op, the function
    /// (`max_pool2d`).
    pub kind: &'a str,
    /// Whether this step is a functional op (`F.relu`, `x.view`) rather than a module.
    pub functional: bool,
    /// The shape this step receives, batch left out.
    pub input: &'a [usize],
    /// The shape this step produces, batch left out.
    pub output: &'a [usize],
    /// Number of parameters this step owns.
    pub params: usize,
    /// Number of those parameters that are trainable (`requires_grad`).
    pub trainable: usize,
    /// Number of buffer elements this step owns (BatchNorm's running statistics).
    pub buffers: usize,
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
pub struct StateEntry<'a> {
    /// The `state_dict` key, e.g. `conv1.weight`.
    pub key: &'a str,
    /// The tensor's shape; empty for a scalar such as `num_batches_tracked`.
    pub shape: &'a [usize],
    /// Whether the tensor is a buffer (running statistics) rather than a parameter.
    pub buffer: bool,
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
