//! `Linear`: acts on the last dimension, any leading dimensions pass through.

use super::{Dims, Outcome, Problem, Stored};

#[derive(Clone, Debug, PartialEq)]
pub struct Linear {
    pub in_features: usize,
    pub out_features: usize,
    pub bias: bool,
}

impl Linear {
    pub fn forward(&self, input: &[usize]) -> Outcome {
        let Some((&features, leading)) = input.split_last() else {
            return Outcome::failed(Problem::Rank { layout: "[*, in_features]", found: Dims::new() });
        };
        let mut output = leading.to_vec();
        output.push(self.out_features);
        let mut outcome = Outcome::ok(output);
        if features != self.in_features {
            outcome.problems.push(Problem::Mismatch {
                arg: "in_features",
                declared: self.in_features,
                axis: leading.len(),
                found: features,
            });
        }
        outcome
    }

    pub fn stored(&self) -> Vec<Stored> {
        let mut stored = vec![Stored::parameter("weight", vec![self.out_features, self.in_features])];
        if self.bias {
            stored.push(Stored::parameter("bias", vec![self.out_features]));
        }
        stored
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_leading_dims() {
        let linear = Linear { in_features: 496, out_features: 50, bias: true };
        assert_eq!(linear.forward(&[3, 496]), Outcome::ok(vec![3, 50]));
        assert_eq!(linear.forward(&[3, 495]).output, Some(vec![3, 50]));
        assert_eq!(linear.forward(&[3, 495]).problems.len(), 1);
        assert_eq!(linear.forward(&[]).output, None);
    }
}
