//! `RNN`, `LSTM` and `GRU`.

use super::{require_rank, Extra, Outcome, Problem, Stored};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cell {
    Rnn,
    Lstm,
    Gru,
}

impl Cell {
    /// How many gates share each weight matrix.
    fn gates(self) -> usize {
        match self {
            Cell::Rnn => 1,
            Cell::Lstm => 4,
            Cell::Gru => 3,
        }
    }
}

/// A stack of recurrent layers over a sequence `[L, input_size]`. Shapes are per
/// sample, so `batch_first` does not change them: it only moves PyTorch's batch.
#[derive(Clone, Debug, PartialEq)]
pub struct Recurrent {
    pub cell: Cell,
    pub input_size: usize,
    pub hidden_size: usize,
    pub num_layers: usize,
    pub bias: bool,
    pub bidirectional: bool,
    /// LSTM's projection of `h`; 0 for none.
    pub proj_size: usize,
}

impl Recurrent {
    fn directions(&self) -> usize {
        if self.bidirectional {
            2
        } else {
            1
        }
    }

    /// The size of `h`: the projection's, if any.
    fn output_size(&self) -> usize {
        if self.proj_size > 0 {
            self.proj_size
        } else {
            self.hidden_size
        }
    }

    pub fn validate(&self) -> Vec<Problem> {
        if self.proj_size > 0 && self.proj_size >= self.hidden_size {
            vec![Problem::ProjSize { proj_size: self.proj_size, hidden_size: self.hidden_size }]
        } else {
            Vec::new()
        }
    }

    pub fn forward(&self, input: &[usize]) -> Outcome {
        if let Err(problem) = require_rank(input, 2..=2, "[L, input_size] (a sequence)") {
            return Outcome::failed(problem);
        }
        let mut problems = Vec::new();
        if input[1] != self.input_size {
            problems.push(Problem::Mismatch { arg: "input_size", declared: self.input_size, axis: 1, found: input[1] });
        }
        let layers = self.directions() * self.num_layers;
        let mut outcome = Outcome::with(vec![input[0], self.directions() * self.output_size()], problems);
        outcome.extra.push(Extra { dims: vec![layers, self.output_size()], batch_dim: 1 });
        if self.cell == Cell::Lstm {
            outcome.extra.push(Extra { dims: vec![layers, self.hidden_size], batch_dim: 1 });
        }
        outcome
    }

    /// Per layer and direction: `weight_ih_l{k}`, `weight_hh_l{k}`, the biases,
    /// and LSTM's `weight_hr_l{k}`, with `_reverse` for the backward direction.
    pub fn stored(&self) -> Vec<Stored> {
        let rows = self.cell.gates() * self.hidden_size;
        let mut stored = Vec::new();
        for layer in 0..self.num_layers {
            let inputs = if layer == 0 { self.input_size } else { self.directions() * self.output_size() };
            for direction in 0..self.directions() {
                let suffix = format!("_l{layer}{}", if direction == 1 { "_reverse" } else { "" });
                stored.push(Stored::parameter(format!("weight_ih{suffix}"), vec![rows, inputs]));
                stored.push(Stored::parameter(format!("weight_hh{suffix}"), vec![rows, self.output_size()]));
                if self.bias {
                    stored.push(Stored::parameter(format!("bias_ih{suffix}"), vec![rows]));
                    stored.push(Stored::parameter(format!("bias_hh{suffix}"), vec![rows]));
                }
                if self.proj_size > 0 {
                    stored
                        .push(Stored::parameter(format!("weight_hr{suffix}"), vec![self.proj_size, self.hidden_size]));
                }
            }
        }
        stored
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bidirectional_lstm() {
        // LSTM-1-960 of the fixture.
        let lstm = Recurrent {
            cell: Cell::Lstm,
            input_size: 39,
            hidden_size: 53,
            num_layers: 1,
            bias: true,
            bidirectional: true,
            proj_size: 0,
        };
        let outcome = lstm.forward(&[10, 39]);
        assert_eq!(outcome.output, Some(vec![10, 106]));
        assert_eq!(outcome.extra.len(), 2);
        let params: usize = lstm.stored().iter().map(Stored::numel).sum();
        assert_eq!(params, 39_856);
        assert_eq!(lstm.stored()[4].name, "weight_ih_l0_reverse");
    }

    #[test]
    fn projected_lstm_layers_take_the_projection() {
        let lstm = Recurrent {
            cell: Cell::Lstm,
            input_size: 10,
            hidden_size: 20,
            num_layers: 2,
            bias: true,
            bidirectional: true,
            proj_size: 5,
        };
        let stored = lstm.stored();
        assert_eq!((stored[1].name.as_str(), stored[1].dims.clone()), ("weight_hh_l0", vec![80, 5]));
        assert_eq!((stored[4].name.as_str(), stored[4].dims.clone()), ("weight_hr_l0", vec![5, 20]));
        assert_eq!(stored[10].dims, vec![80, 10]);
        assert_eq!(lstm.forward(&[7, 10]).extra[0].dims, vec![4, 5]);
    }
}
