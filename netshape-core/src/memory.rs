use alloc::collections::BTreeSet;
use core::fmt;

use crate::{Dtype, Layer, Summary, Thousands};

/// netshape's own memory estimate for one training step on a batch, in bytes,
/// separated into what holds it.
///
/// torchsummary counts an in-place op's output as new memory and a module
/// called twice as two modules' parameters; torchinfo counts only layers with
/// parameters. This estimate:
///
/// - counts every parameter once, however often its module is called, and
///   its gradient once if it is trainable;
/// - counts buffers (BatchNorm's running statistics and counter) once;
/// - counts, as activations, every tensor the forward pass writes: each
///   call's output (and further outputs, such as an LSTM's `h_n`), once per
///   call, for the whole batch, except where no new memory is written: an
///   op with `inplace = true`, a view (`view`, `flatten`, `transpose`,
///   `chunk`, `Identity`…), and a block or `Sequential`, whose output is its
///   last step's;
/// - counts the input, every input once.
///
/// It is what the forward pass allocates and autograd can keep for the
/// backward pass: an upper bound on what it does keep, since PyTorch frees
/// an output no backward needs (a BatchNorm's before a non-in-place ReLU),
/// and a lower bound on the peak, since it leaves out the workspaces of
/// kernels, MaxPool's indices and the optimizer's state. Counters such as
/// `num_batches_tracked`, `int64` in PyTorch, are counted at the element type.
///
/// ```
/// use netshape_core::{Dtype, Layer, Summary};
///
/// let layers = [
///     Layer { name: "fc", kind: "Linear", input: &[4], output: &[2], params: 10, trainable: 10, ..Layer::EMPTY },
///     Layer { name: "act", kind: "ReLU", input: &[2], output: &[2], inplace: true, ..Layer::EMPTY },
/// ];
/// let summary = Summary { name: "Tiny", inputs: &[&[4]], layers: &layers };
/// let memory = summary.memory(8, Dtype::F32);
/// assert_eq!(memory.parameters, 10 * 4);
/// assert_eq!(memory.gradients, 10 * 4);
/// // The linear layer's output for 8 samples; the in-place ReLU adds nothing.
/// assert_eq!(memory.activations, 8 * 2 * 4);
/// assert_eq!(memory.input, 8 * 4 * 4);
/// assert_eq!(memory.total(), 40 + 40 + 64 + 128);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Memory {
    /// The batch size the activations and input are counted for.
    pub batch: usize,
    /// The element type.
    pub dtype: Dtype,
    /// Every parameter once.
    pub parameters: usize,
    /// One gradient per trainable parameter.
    pub gradients: usize,
    /// Every buffer element once.
    pub buffers: usize,
    /// The tensors the forward pass writes, kept for the backward pass.
    pub activations: usize,
    /// The network's inputs.
    pub input: usize,
}

impl Memory {
    /// All of it.
    pub fn total(&self) -> usize {
        self.parameters + self.gradients + self.buffers + self.activations + self.input
    }
}

impl<'a> Summary<'a> {
    /// netshape's memory estimate for a batch of `batch` samples of `dtype`
    /// elements; see [`Memory`] for what it counts.
    ///
    /// ```
    /// use netshape_core::{Dtype, Layer, Summary};
    ///
    /// // `fc` called twice: its parameters once, its outputs twice.
    /// let fc = Layer { name: "fc", kind: "Linear", input: &[2], output: &[2], params: 6, trainable: 6, ..Layer::EMPTY };
    /// let summary = Summary { name: "Twice", inputs: &[&[2]], layers: &[fc, fc] };
    /// let memory = summary.memory(1, Dtype::F16);
    /// assert_eq!((memory.parameters, memory.activations), (6 * 2, 2 * 2 * 2));
    /// ```
    pub fn memory(&self, batch: usize, dtype: Dtype) -> Memory {
        let bytes = dtype.bytes();
        let (mut parameters, mut trainable, mut buffers) = (0, 0, 0);
        // A module called again has the name of an earlier row.
        let mut called = BTreeSet::new();
        for layer in self.layers {
            if layer.name.is_empty() || called.insert(layer.name) {
                parameters += layer.params + layer.uncalled_params;
                trainable += layer.trainable + layer.uncalled_trainable;
                buffers += layer.buffers;
            }
        }
        let activations: usize = (0..self.layers.len())
            .filter(|&index| !self.has_child_rows(index))
            .map(|index| &self.layers[index])
            .filter(|layer| !layer.inplace && !layer.view)
            .map(Layer::output_elements)
            .sum();
        let input: usize = self.inputs.iter().map(|shape| shape.iter().product::<usize>()).sum();
        Memory {
            batch,
            dtype,
            parameters: parameters * bytes,
            gradients: trainable * bytes,
            buffers: buffers * bytes,
            activations: activations * batch * bytes,
            input: input * batch * bytes,
        }
    }
}

impl fmt::Display for Memory {
    /// A short table in MB (10⁶ bytes), with the exact byte counts.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "Memory for a batch of {} in {}:", self.batch, self.dtype)?;
        for (label, bytes) in [
            ("Parameters", self.parameters),
            ("Gradients", self.gradients),
            ("Buffers", self.buffers),
            ("Activations", self.activations),
            ("Input", self.input),
            ("Total", self.total()),
        ] {
            writeln!(f, "  {label:<12} {:>10.2} MB {:>16} bytes", bytes as f64 / 1e6, Thousands(bytes))?;
        }
        Ok(())
    }
}
