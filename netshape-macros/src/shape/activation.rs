//! Activations that check their input: `PReLU` (one weight per channel) and
//! `GLU` (halves a dimension).

use super::{normalize_dim, Outcome, Problem, Stored};

/// `PReLU(num_parameters)`: one slope, or one per channel (the input's first
/// dimension; an input with no dimension besides the batch has one channel).
#[derive(Clone, Debug, PartialEq)]
pub struct PRelu {
    pub num_parameters: usize,
}

impl PRelu {
    pub fn forward(&self, input: &[usize]) -> Outcome {
        if self.num_parameters == 1 {
            return Outcome::ok(input.to_vec());
        }
        match input.first() {
            None => Outcome::failed(Problem::Rank { layout: "[C, *] for one slope per channel", found: Vec::new() }),
            Some(&channels) if channels != self.num_parameters => Outcome::with(
                input.to_vec(),
                vec![Problem::Mismatch {
                    arg: "num_parameters",
                    declared: self.num_parameters,
                    axis: 0,
                    found: channels,
                }],
            ),
            Some(_) => Outcome::ok(input.to_vec()),
        }
    }

    pub fn stored(&self) -> Vec<Stored> {
        vec![Stored::parameter("weight", vec![self.num_parameters])]
    }
}

/// `GLU(dim)`: splits `dim` in two halves and gates one with the other.
#[derive(Clone, Debug, PartialEq)]
pub struct Glu {
    pub dim: i64,
}

impl Glu {
    pub fn forward(&self, input: &[usize]) -> Outcome {
        let axis = match normalize_dim("dim", self.dim, input.len()) {
            Ok(0) => return Outcome::failed(Problem::TouchesBatch { arg: "dim" }),
            Ok(dim) => dim - 1,
            Err(problem) => return Outcome::failed(problem),
        };
        if !input[axis].is_multiple_of(2) {
            return Outcome::failed(Problem::InputNotDivisible {
                axis,
                size: input[axis],
                by: 2,
                arg: "dim",
                what: "size along `dim`",
            });
        }
        let mut output = input.to_vec();
        output[axis] /= 2;
        Outcome::ok(output)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prelu_has_one_slope_or_one_per_channel() {
        assert_eq!(PRelu { num_parameters: 4 }.forward(&[4, 6, 7]), Outcome::ok(vec![4, 6, 7]));
        assert_eq!(PRelu { num_parameters: 1 }.forward(&[]), Outcome::ok(vec![]));
        assert_eq!(PRelu { num_parameters: 4 }.forward(&[3, 5]).problems.len(), 1);
        assert_eq!(PRelu { num_parameters: 3 }.forward(&[]).output, None);
    }

    #[test]
    fn glu_halves_an_even_dim() {
        assert_eq!(Glu { dim: -1 }.forward(&[3, 8]), Outcome::ok(vec![3, 4]));
        assert_eq!(Glu { dim: 1 }.forward(&[5]).problems.len(), 1);
        assert_eq!(Glu { dim: 0 }.forward(&[4]).problems, vec![Problem::TouchesBatch { arg: "dim" }]);
    }
}
