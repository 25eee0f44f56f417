//! A network's summary as a GitHub-flavoured Markdown table.

use core::fmt;

use crate::summary::Grouped;
use crate::{ExtraOutput, Layer, ReceptiveField, Summary, Thousands};

/// A [`Summary`] as a GitHub-flavoured Markdown table, made by
/// [`Summary::markdown`]; print it with `{}`.
///
/// One row per module call, the rows of torchsummary's table: leaf modules and
/// blocks (a block's row comes after its children's, where a forward hook puts
/// it), not functional ops (no module, no row) and not `nn.Sequential`
/// containers (torchsummary shows none; their figures are their children's, so
/// a row for them would count everything twice). Columns: the row's number,
/// the module's path, its type, the input and output shapes as torchsummary
/// prints them (`-1` for the batch), parameters, mult-adds (one
/// multiply-accumulate per weight per output position, bias additions left
/// out) and the receptive field of an output unit (size per spatial axis and
/// jump, in input pixels). The last row holds the totals: parameters as
/// torchsummary counts them (a module called twice counts twice) and the
/// network's mult-adds; a line under the table gives the trainable and
/// non-trainable parameters and the mult-adds with bias additions.
///
/// ```
/// use netshape_core::{Layer, ReceptiveField, Source, Summary};
///
/// let layers = [Layer {
///     name: "fc", kind: "Linear", sources: &[Source::Input(0)], input: &[4], output: &[2],
///     params: 10, trainable: 10, mult_adds: 8, bias_adds: 2, ..Layer::EMPTY
/// }];
/// let summary = Summary { name: "Tiny", inputs: &[&[4]], layers: &layers };
/// assert_eq!(
///     summary.markdown().to_string(),
///     "| # | Layer | Type | Input | Output | Params | Mult-adds | Receptive field |\n\
///      | ---: | --- | --- | --- | --- | ---: | ---: | --- |\n\
///      | 1 | `fc` | Linear | [-1, 4] | [-1, 2] | 10 | 8 | — |\n\
///      |  | **Total** |  |  |  | **10** | **8** |  |\n\
///      \n\
///      Trainable params: 10 · Non-trainable params: 0 · Mult-adds with bias additions: 10\n"
/// );
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Markdown<'a>(pub Summary<'a>);

impl<'a> Summary<'a> {
    /// Total multiply-accumulates of the weights and total bias additions for
    /// one sample, over every step (a module called twice counts twice).
    pub(crate) fn mult_add_totals(&self) -> (u64, u64) {
        let weights = self.layers.iter().map(|layer| layer.mult_adds).sum();
        let biases = self.layers.iter().map(|layer| layer.bias_adds).sum();
        (weights, biases)
    }

    /// The summary as a Markdown table: see [`Markdown`].
    ///
    /// ```
    /// use netshape_core::{Layer, Summary};
    ///
    /// let layers = [Layer { name: "conv1", kind: "Conv2d", input: &[1, 28, 28], output: &[10, 24, 24],
    ///     params: 260, trainable: 260, ..Layer::EMPTY }];
    /// let summary = Summary { name: "Net", inputs: &[&[1, 28, 28]], layers: &layers };
    /// let table = summary.markdown().to_string();
    /// assert!(table.contains("| 1 | `conv1` | Conv2d | [-1, 1, 28, 28] | [-1, 10, 24, 24] | 260 | 0 | — |\n"));
    /// ```
    pub fn markdown(&self) -> Markdown<'a> {
        Markdown(*self)
    }
}

impl fmt::Display for Markdown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let summary = &self.0;
        writeln!(f, "| # | Layer | Type | Input | Output | Params | Mult-adds | Receptive field |")?;
        writeln!(f, "| ---: | --- | --- | --- | --- | ---: | ---: | --- |")?;
        for (index, layer) in summary.rows().enumerate() {
            writeln!(
                f,
                "| {} | `{}` | {} | {} | {} | {} | {} | {} |",
                index + 1,
                Cell(layer.name),
                Cell(layer.kind),
                Shape(layer.input),
                Outputs(layer),
                Thousands(layer.params),
                Grouped(layer.mult_adds.into()),
                Field(layer.receptive_field),
            )?;
        }
        let total = summary.total_params();
        let trainable = summary.trainable_params();
        let (mult_adds, bias_adds) = summary.mult_add_totals();
        writeln!(f, "|  | **Total** |  |  |  | **{}** | **{}** |  |", Thousands(total), Grouped(mult_adds.into()))?;
        writeln!(f)?;
        writeln!(
            f,
            "Trainable params: {} · Non-trainable params: {} · Mult-adds with bias additions: {}",
            Thousands(trainable),
            Thousands(total - trainable),
            Grouped((mult_adds + bias_adds).into()),
        )
    }
}

/// Text in a table cell: `|` would end the cell, so it is escaped.
struct Cell<'a>(&'a str);

impl fmt::Display for Cell<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, part) in self.0.split('|').enumerate() {
            if index > 0 {
                f.write_str("\\|")?;
            }
            f.write_str(part)?;
        }
        Ok(())
    }
}

/// A shape as torchsummary prints it: `[-1, 10, 24, 24]`.
struct Shape<'a>(&'a [usize]);

impl fmt::Display for Shape<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&ExtraOutput { shape: self.0, batch_dim: 0 }, f)
    }
}

/// A row's outputs as torchsummary prints them: one shape, or a list of them
/// for a module with further outputs (an LSTM's `h_n` and `c_n`).
struct Outputs<'a>(&'a Layer<'a>);

impl fmt::Display for Outputs<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.extra_outputs.is_empty() {
            return write!(f, "{}", Shape(self.0.output));
        }
        write!(f, "[{}", Shape(self.0.output))?;
        for extra in self.0.extra_outputs {
            write!(f, ", {extra}")?;
        }
        f.write_str("]")
    }
}

/// A receptive field: sizes per spatial axis, then the jump (`11×11 (jump 4)`,
/// `7×3 (jump 2×1)`); `—` once the spatial axes are gone.
struct Field<'a>(&'a [ReceptiveField]);

impl fmt::Display for Field<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Some(first) = self.0.first() else {
            return f.write_str("—");
        };
        for (index, axis) in self.0.iter().enumerate() {
            if index > 0 {
                f.write_str("×")?;
            }
            write!(f, "{}", axis.size)?;
        }
        f.write_str(" (jump ")?;
        if self.0.iter().all(|axis| axis.jump == first.jump) {
            write!(f, "{}", first.jump)?;
        } else {
            for (index, axis) in self.0.iter().enumerate() {
                if index > 0 {
                    f.write_str("×")?;
                }
                write!(f, "{}", axis.jump)?;
            }
        }
        f.write_str(")")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::string::ToString;

    #[test]
    fn escapes_pipes() {
        assert_eq!(Cell("a|b").to_string(), "a\\|b");
    }

    #[test]
    fn prints_receptive_fields() {
        let square = [ReceptiveField { size: 11.0, jump: 4.0, start: 0.5 }; 2];
        assert_eq!(Field(&square).to_string(), "11×11 (jump 4)");
        let uneven =
            [ReceptiveField { size: 7.0, jump: 2.0, start: 0.5 }, ReceptiveField { size: 3.0, jump: 1.0, start: 0.5 }];
        assert_eq!(Field(&uneven).to_string(), "7×3 (jump 2×1)");
        assert_eq!(Field(&[]).to_string(), "—");
    }

    #[test]
    fn prints_every_output() {
        let hidden = [ExtraOutput { shape: &[2, 20], batch_dim: 1 }];
        let lstm = Layer { kind: "LSTM", output: &[10, 20], extra_outputs: &hidden, ..Layer::EMPTY };
        assert_eq!(Outputs(&lstm).to_string(), "[[-1, 10, 20], [2, -1, 20]]");
    }
}
