use core::fmt;

use crate::{ExtraOutput, Layer, ReceptiveField};

/// The table torchsummary 1.5.1 prints for a network, reproduced byte for byte
/// by its [`Display`](fmt::Display) impl, with torchsummary's own arithmetic:
/// one row per module call (functional ops are no row), parameters as each row
/// counts them, and sizes in MiB of 4-byte floats, activations doubled for the
/// backward pass.
///
/// Where torchsummary crashes or miscounts, the table shows what it would have
/// shown had it worked: a module with several outputs (an LSTM's output, `h_n`
/// and `c_n`) lists all their shapes, `[[-1, 10, 20], [1, -1, 20], …]`, and
/// counts them all in the forward/backward size; a module whose parameters are
/// not named `weight` and `bias` (RNNs, attention) shows them all.
///
/// ```
/// use netshape_core::{Layer, Summary};
///
/// let layers = [Layer {
///     name: "fc", kind: "Linear", input: &[4], output: &[2], params: 10, trainable: 10,
///     ..Layer::EMPTY
/// }];
/// let summary = Summary { name: "Tiny", inputs: &[&[4]], layers: &layers };
/// let text = summary.to_string();
/// assert!(text.contains("            Linear-1                    [-1, 2]              10\n"));
/// assert!(text.contains("Total params: 10\n"));
/// ```
///
/// # Exports
///
/// [`Summary::markdown`] makes a Markdown table ([`Markdown`](crate::Markdown)),
/// [`Summary::dot`] a Graphviz graph ([`Dot`](crate::Dot)), and with the
/// `serde` feature (on by default in `netshape`) a `Summary` implements
/// `serde::Serialize`: `serde_json::to_string(&Net::SUMMARY)`. Its JSON is one
/// object:
///
/// | key | value |
/// | --- | --- |
/// | `name` | the network's name |
/// | `inputs` | each input's shape, batch left out: `[[1, 28, 28]]` |
/// | `total_params`, `trainable_params`, `non_trainable_params` | as torchsummary counts them (the sum over rows: a module called twice counts twice) |
/// | `total_mult_adds` | multiply-accumulates of the weights for one sample, over every step |
/// | `total_mult_adds_with_bias` | the same plus one addition per output element of each layer with a bias |
/// | `input_size_mb`, `forward_backward_size_mb`, `params_size_mb`, `total_size_mb` | torchsummary's sizes, unrounded |
/// | `layers` | every step in call order, each a [`Layer`] object with its fields' names |
///
/// A layer's `sources` are `{"input": i}` or `{"layer": j}` (an index into
/// `layers`), its `receptive_field` a list of `{"size", "jump", "start"}` per
/// spatial axis, its `extra_outputs` a list of `{"shape", "batch_dim"}`. The
/// rows of torchsummary's table are the layers with `functional` and
/// `container` both false. [`StateEntry`](crate::StateEntry) serializes as
/// `{"key", "shape", "buffer"}` and [`Dtype`](crate::Dtype) as its PyTorch
/// name (`"float32"`).
///
/// ```
/// # #[cfg(feature = "serde")]
/// # {
/// use netshape_core::{Layer, Source, Summary};
///
/// let layers = [Layer {
///     name: "fc", kind: "Linear", sources: &[Source::Input(0)], input: &[4], output: &[2],
///     params: 10, trainable: 10, mult_adds: 8, bias_adds: 2, ..Layer::EMPTY
/// }];
/// let summary = Summary { name: "Tiny", inputs: &[&[4]], layers: &layers };
/// let json: serde_json::Value = serde_json::to_value(summary).unwrap();
/// assert_eq!(json["total_params"], 10);
/// assert_eq!(json["total_mult_adds_with_bias"], 10);
/// assert_eq!(json["layers"][0]["kind"], "Linear");
/// assert_eq!(json["layers"][0]["sources"][0]["input"], 0);
/// # }
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Summary<'a> {
    /// The network's name, the root row of torchinfo's view.
    pub name: &'a str,
    /// The shapes of the network's inputs, batch left out.
    pub inputs: &'a [&'a [usize]],
    /// Every step of the network in call order; only modules become rows.
    pub layers: &'a [Layer<'a>],
}

const RULE: &str = "----------------------------------------------------------------";
const DOUBLE_RULE: &str = "================================================================";
const BYTES_PER_ELEMENT: f64 = 4.0;
const BYTES_PER_MB: f64 = 1024.0 * 1024.0;

impl<'a> Summary<'a> {
    /// The modules, one per row of the table, in call order (containers such as
    /// `nn.Sequential` have no row in torchsummary's table).
    pub fn rows(&self) -> impl Iterator<Item = &'a Layer<'a>> {
        self.layers.iter().filter(|layer| !layer.functional && !layer.container)
    }

    /// `Total params` as torchsummary counts it: the sum over rows, so a module
    /// called twice is counted twice.
    pub fn total_params(&self) -> usize {
        self.rows().map(|layer| layer.params - layer.raw_params).sum()
    }

    /// `Trainable params` as torchsummary counts it.
    pub fn trainable_params(&self) -> usize {
        self.rows().map(|layer| layer.trainable - layer.raw_trainable).sum()
    }

    /// `Input size (MB)`: torchsummary multiplies the dimensions of all inputs
    /// together (one product, not a sum of products).
    pub fn input_size_mb(&self) -> f64 {
        let elements: usize = self.inputs.iter().flat_map(|shape| shape.iter()).product();
        elements as f64 * BYTES_PER_ELEMENT / BYTES_PER_MB
    }

    /// `Forward/backward pass size (MB)`: every row's outputs, twice (gradients).
    pub fn forward_backward_size_mb(&self) -> f64 {
        let elements: usize = self.rows().map(Layer::output_elements).sum();
        2.0 * elements as f64 * BYTES_PER_ELEMENT / BYTES_PER_MB
    }

    /// `Params size (MB)`.
    pub fn params_size_mb(&self) -> f64 {
        self.total_params() as f64 * BYTES_PER_ELEMENT / BYTES_PER_MB
    }

    /// `Estimated Total Size (MB)`, summed in torchsummary's order.
    pub fn total_size_mb(&self) -> f64 {
        self.params_size_mb() + self.forward_backward_size_mb() + self.input_size_mb()
    }

    /// Whether step `index` is a module made of other steps' rows: an
    /// `nn.Sequential`, a block, a composite such as a Transformer layer. Its
    /// children come just before it, so the module called before it is one.
    pub(crate) fn has_child_rows(&self, index: usize) -> bool {
        let layer = &self.layers[index];
        !layer.functional
            && (layer.container
                || self.layers[..index]
                    .iter()
                    .rev()
                    .find(|earlier| !earlier.functional)
                    .is_some_and(|earlier| Layer::is_inside(earlier.name, layer.name)))
    }

    /// The network's receptive field: that of the last step that still has
    /// spatial axes (a classifier's last feature map, before it is pooled away
    /// or flattened); empty if no step has one.
    ///
    /// ```
    /// use netshape_core::{Layer, ReceptiveField, Summary};
    ///
    /// let field = [ReceptiveField { size: 5.0, jump: 1.0, start: 2.5 }];
    /// let layers = [
    ///     Layer { kind: "Conv1d", input: &[1, 16], output: &[4, 12], receptive_field: &field, ..Layer::EMPTY },
    ///     Layer { kind: "flatten", functional: true, input: &[4, 12], output: &[48], ..Layer::EMPTY },
    /// ];
    /// let summary = Summary { name: "Net", inputs: &[&[1, 16]], layers: &layers };
    /// assert_eq!(summary.receptive_field(), field);
    /// ```
    pub fn receptive_field(&self) -> &'a [ReceptiveField] {
        self.layers.iter().rev().map(|layer| layer.receptive_field).find(|field| !field.is_empty()).unwrap_or(&[])
    }
}

/// Formats an integer with `,` between thousands, as Python's `{:,}` does (and
/// torchsummary's parameter counts).
///
/// ```
/// assert_eq!(netshape_core::Thousands(138_357_544).to_string(), "138,357,544");
/// assert_eq!(format!("{:>8}", netshape_core::Thousands(260)), "     260");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Thousands(pub usize);

impl fmt::Display for Thousands {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&Grouped(self.0 as u128), f)
    }
}

/// [`Thousands`] for any count, mult-adds included (`u64`, whatever `usize` is).
pub(crate) struct Grouped(pub u128);

impl fmt::Display for Grouped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // 39 digits and 12 commas at most.
        let mut text = [0u8; 64];
        let mut len = 0;
        let mut rest = self.0;
        loop {
            if len % 4 == 3 {
                text[len] = b',';
                len += 1;
            }
            text[len] = b'0' + (rest % 10) as u8;
            len += 1;
            rest /= 10;
            if rest == 0 {
                break;
            }
        }
        text[..len].reverse();
        // Only ASCII digits and commas were written.
        f.pad(core::str::from_utf8(&text[..len]).map_err(|_| fmt::Error)?)
    }
}

/// Formats a row's outputs as Python prints torchsummary's list:
/// `[-1, 10, 24, 24]`, or a list of lists for several outputs.
struct OutputShape<'a>(&'a Layer<'a>);

impl fmt::Display for OutputShape<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Build into a buffer so that `f.pad` can right-align the whole list.
        let mut buffer = Buffer::default();
        let main = ExtraOutput { shape: self.0.output, batch_dim: 0 };
        if self.0.extra_outputs.is_empty() {
            fmt::write(&mut buffer, format_args!("{main}"))?;
        } else {
            fmt::write(&mut buffer, format_args!("[{main}"))?;
            for extra in self.0.extra_outputs {
                fmt::write(&mut buffer, format_args!(", {extra}"))?;
            }
            fmt::write(&mut buffer, format_args!("]"))?;
        }
        f.pad(buffer.as_str())
    }
}

/// A small stack buffer for padded cells (the crate is `no_std`).
struct Buffer {
    bytes: [u8; 512],
    len: usize,
}

impl Default for Buffer {
    fn default() -> Self {
        Buffer { bytes: [0; 512], len: 0 }
    }
}

impl Buffer {
    fn as_str(&self) -> &str {
        // Only whole `&str`s are ever appended.
        core::str::from_utf8(&self.bytes[..self.len]).unwrap_or("")
    }
}

impl fmt::Write for Buffer {
    fn write_str(&mut self, text: &str) -> fmt::Result {
        let end = self.len + text.len();
        let slot = self.bytes.get_mut(self.len..end).ok_or(fmt::Error)?;
        slot.copy_from_slice(text.as_bytes());
        self.len = end;
        Ok(())
    }
}

/// A row's `Layer (type)` cell: `Conv2d-1`.
struct RowName<'a>(&'a str, usize);

impl fmt::Display for RowName<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut buffer = Buffer::default();
        fmt::write(&mut buffer, format_args!("{}-{}", self.0, self.1))?;
        f.pad(buffer.as_str())
    }
}

impl fmt::Display for Summary<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{RULE}")?;
        writeln!(f, "{:>20}  {:>25} {:>15}", "Layer (type)", "Output Shape", "Param #")?;
        writeln!(f, "{DOUBLE_RULE}")?;
        for (index, layer) in self.rows().enumerate() {
            writeln!(
                f,
                "{:>20}  {:>25} {:>15}",
                RowName(layer.kind, index + 1),
                OutputShape(layer),
                Thousands(layer.params - layer.raw_params),
            )?;
        }
        let total = self.total_params();
        let trainable = self.trainable_params();
        writeln!(f, "{DOUBLE_RULE}")?;
        writeln!(f, "Total params: {}", Thousands(total))?;
        writeln!(f, "Trainable params: {}", Thousands(trainable))?;
        writeln!(f, "Non-trainable params: {}", Thousands(total - trainable))?;
        writeln!(f, "{RULE}")?;
        writeln!(f, "Input size (MB): {:.2}", self.input_size_mb())?;
        writeln!(f, "Forward/backward pass size (MB): {:.2}", self.forward_backward_size_mb())?;
        writeln!(f, "Params size (MB): {:.2}", self.params_size_mb())?;
        writeln!(f, "Estimated Total Size (MB): {:.2}", self.total_size_mb())?;
        writeln!(f, "{RULE}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::string::ToString;

    #[test]
    fn groups_thousands_like_python() {
        for (value, text) in [
            (0, "0"),
            (999, "999"),
            (1_000, "1,000"),
            (21_840, "21,840"),
            (138_357_544, "138,357,544"),
            (usize::MAX, "18,446,744,073,709,551,615"),
        ] {
            assert_eq!(Thousands(value).to_string(), text);
        }
        assert_eq!(Grouped(u128::MAX).to_string(), "340,282,366,920,938,463,463,374,607,431,768,211,455");
    }

    fn layer<'a>(output: &'a [usize], extra_outputs: &'a [ExtraOutput<'a>]) -> Layer<'a> {
        Layer { kind: "LSTM", output, extra_outputs, ..Layer::EMPTY }
    }

    #[test]
    fn prints_shapes_as_python_lists() {
        assert_eq!(OutputShape(&layer(&[10, 24, 24], &[])).to_string(), "[-1, 10, 24, 24]");
        assert_eq!(OutputShape(&layer(&[], &[])).to_string(), "[-1]");
        assert_eq!(std::format!("{:>12}", OutputShape(&layer(&[50], &[]))), "    [-1, 50]");
        let hidden = [ExtraOutput { shape: &[2, 20], batch_dim: 1 }, ExtraOutput { shape: &[2, 20], batch_dim: 1 }];
        assert_eq!(OutputShape(&layer(&[10, 20], &hidden)).to_string(), "[[-1, 10, 20], [2, -1, 20], [2, -1, 20]]");
    }
}
