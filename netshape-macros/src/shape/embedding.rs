//! `Embedding` and `EmbeddingBag`: indices in, vectors out.

use super::{require_rank, Outcome, Problem, Stored};

#[derive(Clone, Debug, PartialEq)]
pub struct Embedding {
    pub num_embeddings: usize,
    pub embedding_dim: usize,
    pub padding_idx: Option<i64>,
}

impl Embedding {
    pub fn validate(&self) -> Vec<Problem> {
        let rows = self.num_embeddings as i64;
        match self.padding_idx {
            Some(padding_idx) if padding_idx < -rows || padding_idx >= rows => {
                vec![Problem::PaddingIndex { padding_idx, num_embeddings: self.num_embeddings }]
            }
            _ => Vec::new(),
        }
    }

    /// Any shape of indices; each becomes a vector of `embedding_dim`.
    pub fn forward(&self, input: &[usize]) -> Outcome {
        let mut output = input.to_vec();
        output.push(self.embedding_dim);
        Outcome::ok(output)
    }

    pub fn stored(&self) -> Vec<Stored> {
        vec![Stored::parameter("weight", vec![self.num_embeddings, self.embedding_dim])]
    }
}

/// `EmbeddingBag`: one bag of indices per sample, reduced to one vector.
#[derive(Clone, Debug, PartialEq)]
pub struct EmbeddingBag {
    pub embedding: Embedding,
    pub max_mode: bool,
    pub scale_grad_by_freq: bool,
}

impl EmbeddingBag {
    pub fn validate(&self) -> Vec<Problem> {
        let mut problems = self.embedding.validate();
        if self.max_mode && self.scale_grad_by_freq {
            problems.push(Problem::Conflict {
                arg: "scale_grad_by_freq",
                with: "mode = \"max\"",
                reason: "max mode does not support scaling the gradient by the frequency",
            });
        }
        problems
    }

    pub fn forward(&self, input: &[usize]) -> Outcome {
        match require_rank(input, 1..=1, "[N] (one bag of N indices per sample)") {
            Ok(()) => Outcome::ok(vec![self.embedding.embedding_dim]),
            Err(problem) => Outcome::failed(problem),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indices_become_vectors() {
        let embedding = Embedding { num_embeddings: 778, embedding_dim: 114, padding_idx: Some(0) };
        assert_eq!(embedding.forward(&[4]), Outcome::ok(vec![4, 114]));
        assert_eq!(Embedding { padding_idx: Some(778), ..embedding.clone() }.validate().len(), 1);
        assert!(Embedding { padding_idx: Some(-778), ..embedding.clone() }.validate().is_empty());
        let bag = EmbeddingBag { embedding, max_mode: true, scale_grad_by_freq: false };
        assert_eq!(bag.forward(&[5]), Outcome::ok(vec![114]));
        assert_eq!(EmbeddingBag { scale_grad_by_freq: true, ..bag }.validate().len(), 1);
    }
}
