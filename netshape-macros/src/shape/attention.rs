//! `MultiheadAttention` and the Transformer modules built from it.
//!
//! Shapes are per sample: a sequence is `[L, E]` whether PyTorch's batch comes
//! first (`batch_first=True`) or second, so `batch_first` does not change them.

use super::linear::Linear;
use super::norm::LayerNorm;
use super::{require_rank, Dims, Extra, Outcome, Problem, Row, Stored};

#[derive(Clone, Debug, PartialEq)]
pub struct Attention {
    pub embed_dim: usize,
    pub num_heads: usize,
    pub dropout: f64,
    pub bias: bool,
    pub add_bias_kv: bool,
    pub add_zero_attn: bool,
    pub kdim: usize,
    pub vdim: usize,
    /// Whether the attention weights are returned (`need_weights`), as they are
    /// when the module is called directly; Transformer layers do not ask.
    pub need_weights: bool,
    /// Where PyTorch puts the batch; its fast path needs it first.
    pub batch_first: bool,
}

/// The sequence a layer receives as its `operand`-th input must be `[L, size]`.
fn sequence(input: &[usize], operand: usize, arg: &'static str, size: usize, problems: &mut Vec<Problem>) -> bool {
    if let Err(problem) = require_rank(input, 2..=2, "[L, E] (a sequence)") {
        problems.push(problem);
        return false;
    }
    if input[1] != size {
        problems.push(match operand {
            0 => Problem::Mismatch { arg, declared: size, axis: 1, found: input[1] },
            _ => Problem::OperandMismatch { operand, arg, declared: size, axis: 1, found: input[1] },
        });
    }
    true
}

impl Attention {
    pub fn validate(&self) -> Vec<Problem> {
        let mut problems = Vec::new();
        if !self.embed_dim.is_multiple_of(self.num_heads) {
            problems.push(Problem::NotDivisible {
                arg: "embed_dim",
                value: self.embed_dim,
                by_arg: "num_heads",
                by: self.num_heads,
            });
        }
        problems
    }

    /// Whether PyTorch 1.13 runs the module in inference on its native fast
    /// path, which fails without biases: self-attention (one tensor as query,
    /// key and value) with the batch first, an even head count, no dropout,
    /// no `add_bias_kv` or `add_zero_attn`, and equal key and value sizes.
    fn fast_path(&self, operands: usize) -> bool {
        operands == 1
            && self.batch_first
            && self.num_heads.is_multiple_of(2)
            && self.dropout == 0.0
            && !self.add_bias_kv
            && !self.add_zero_attn
            && self.same_dims()
    }

    /// Self-attention on one sequence, or `(query, key, value)`.
    pub fn forward(&self, inputs: &[&[usize]]) -> Outcome {
        let query = inputs[0];
        let (key, value, operands) =
            if inputs.len() == 3 { (inputs[1], inputs[2], (1, 2)) } else { (query, query, (0, 0)) };
        let mut problems = Vec::new();
        let ranked = sequence(query, 0, "embed_dim", self.embed_dim, &mut problems)
            & sequence(key, operands.0, "kdim", self.kdim, &mut problems)
            & sequence(value, operands.1, "vdim", self.vdim, &mut problems);
        if !ranked {
            return Outcome::failed_all(problems);
        }
        // Three inputs are taken as three tensors: `(x, x, x)` would be
        // PyTorch's self-attention, which the shapes cannot tell.
        if !self.bias && self.need_weights && self.fast_path(inputs.len()) {
            problems.push(Problem::AttentionBias);
        }
        let mut outcome = Outcome::with(vec![query[0], self.embed_dim], problems);
        if self.need_weights {
            let keys = key[0] + usize::from(self.add_bias_kv) + usize::from(self.add_zero_attn);
            outcome.extra.push(Extra { dims: vec![query[0], keys], batch_dim: 0 });
        }
        outcome
    }

    fn same_dims(&self) -> bool {
        self.kdim == self.embed_dim && self.vdim == self.embed_dim
    }

    pub fn stored(&self) -> Vec<Stored> {
        let embed = self.embed_dim;
        let mut stored = Vec::new();
        if self.same_dims() {
            stored.push(Stored::parameter("in_proj_weight", vec![3 * embed, embed]));
        } else {
            stored.push(Stored::parameter("q_proj_weight", vec![embed, embed]));
            stored.push(Stored::parameter("k_proj_weight", vec![embed, self.kdim]));
            stored.push(Stored::parameter("v_proj_weight", vec![embed, self.vdim]));
        }
        if self.bias {
            stored.push(Stored::parameter("in_proj_bias", vec![3 * embed]));
        }
        if self.add_bias_kv {
            stored.push(Stored::parameter("bias_k", vec![1, 1, embed]));
            stored.push(Stored::parameter("bias_v", vec![1, 1, embed]));
        }
        let out_proj = Linear { in_features: embed, out_features: embed, bias: self.bias };
        stored.extend(out_proj.stored().into_iter().map(|stored| stored.within("out_proj")));
        stored
    }
}

/// Which Transformer module.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TransformerPart {
    EncoderLayer,
    DecoderLayer,
    /// `TransformerEncoder(encoder_layer, num_layers, norm)`.
    Encoder,
    /// `TransformerDecoder(decoder_layer, num_layers, norm)`.
    Decoder,
    /// `nn.Transformer`: an encoder and a decoder, each with a final norm.
    Transformer,
}

/// The Transformer modules. Their rows are those a forward hook sees in
/// training: every submodule called, then the module itself.
#[derive(Clone, Debug, PartialEq)]
pub struct Transformer {
    pub part: TransformerPart,
    pub d_model: usize,
    pub nhead: usize,
    pub dim_feedforward: usize,
    pub norm_first: bool,
    pub bias: bool,
    /// Layers of a stack (`Encoder`, `Decoder`); of the encoder for `Transformer`.
    pub num_layers: usize,
    /// The decoder's layers, for `Transformer`.
    pub num_decoder_layers: usize,
    /// A stack's final `norm` (always present in `Transformer`).
    pub final_norm: Option<LayerNorm>,
}

/// A child of a Transformer layer.
struct Part<'x> {
    name: &'static str,
    kind: &'static str,
    input: &'x [usize],
    output: &'x [usize],
    stored: Vec<Stored>,
}

/// Rows in the making, under a path prefix and at a depth.
struct Rows {
    rows: Vec<Row>,
}

impl Rows {
    fn push(
        &mut self,
        path: String,
        kind: &'static str,
        depth: usize,
        input: &[usize],
        output: &[usize],
        stored: Vec<Stored>,
    ) {
        self.rows.push(Row {
            path,
            kind,
            depth,
            input: input.to_vec(),
            output: output.to_vec(),
            extra: Vec::new(),
            stored,
            container: false,
        });
    }

    /// The `ModuleList` holding a stack's layers, after them; never called
    /// itself, it has no shapes.
    fn list(&mut self, path: String, depth: usize) {
        self.push(path, "ModuleList", depth, &[], &[], Vec::new());
        if let Some(row) = self.rows.last_mut() {
            row.container = true;
        }
    }
}

impl Transformer {
    pub fn validate(&self) -> Vec<Problem> {
        self.attention()
            .validate()
            .into_iter()
            .map(|problem| match problem {
                Problem::NotDivisible { value, by, .. } => {
                    Problem::NotDivisible { arg: "d_model", value, by_arg: "nhead", by }
                }
                other => other,
            })
            .collect()
    }

    pub fn arity(&self) -> &'static [&'static [&'static str]] {
        match self.part {
            TransformerPart::EncoderLayer | TransformerPart::Encoder => &[&["src"]],
            TransformerPart::DecoderLayer | TransformerPart::Decoder => &[&["tgt", "memory"]],
            TransformerPart::Transformer => &[&["src", "tgt"]],
        }
    }

    fn attention(&self) -> Attention {
        Attention {
            embed_dim: self.d_model,
            num_heads: self.nhead,
            dropout: 0.0,
            bias: self.bias,
            add_bias_kv: false,
            add_zero_attn: false,
            kdim: self.d_model,
            vdim: self.d_model,
            need_weights: false,
            batch_first: true,
        }
    }

    /// The layers' own norms (and `Transformer`'s final ones).
    pub fn norm(&self) -> LayerNorm {
        LayerNorm {
            normalized_shape: vec![self.d_model],
            elementwise_affine: true,
            bias: self.bias,
            channels_first: false,
        }
    }

    fn linear(&self, in_features: usize, out_features: usize) -> Linear {
        Linear { in_features, out_features, bias: self.bias }
    }

    pub fn forward(&self, inputs: &[&[usize]]) -> Outcome {
        let mut problems = Vec::new();
        let mut ranked = true;
        for (operand, input) in inputs.iter().enumerate() {
            ranked &= sequence(input, operand, "d_model", self.d_model, &mut problems);
        }
        if !ranked {
            return Outcome::failed_all(problems);
        }
        if let Some(norm) = &self.final_norm {
            problems.extend(norm.forward(inputs[0]).problems);
        }
        let mut rows = Rows { rows: Vec::new() };
        let output = match self.part {
            TransformerPart::EncoderLayer => self.encoder_layer(&mut rows, "", 1, inputs[0]),
            TransformerPart::DecoderLayer => self.decoder_layer(&mut rows, "", 1, inputs[0], inputs[1]),
            TransformerPart::Encoder => self.encoder(&mut rows, "", 1, inputs[0], self.num_layers),
            TransformerPart::Decoder => self.decoder(&mut rows, "", 1, inputs[0], inputs[1], self.num_layers),
            TransformerPart::Transformer => {
                let memory = self.encoder(&mut rows, "encoder.", 2, inputs[0], self.num_layers);
                rows.push("encoder".into(), "TransformerEncoder", 1, inputs[0], &memory, Vec::new());
                let output = self.decoder(&mut rows, "decoder.", 2, inputs[1], &memory, self.num_decoder_layers);
                rows.push("decoder".into(), "TransformerDecoder", 1, inputs[1], &output, Vec::new());
                output
            }
        };
        let mut outcome = Outcome::with(output, problems);
        outcome.children = rows.rows;
        outcome
    }

    /// One child of a Transformer layer, as its row will show it.
    fn part<'x>(&self, name: &'static str, kind: &'static str, shapes: (&'x [usize], &'x [usize])) -> Part<'x> {
        let stored = match kind {
            "MultiheadAttention" => self.attention().stored(),
            "LayerNorm" => self.norm().stored(),
            "Linear" => self.linear(shapes.0[1], shapes.1[1]).stored(),
            _ => Vec::new(),
        };
        Part { name, kind, input: shapes.0, output: shapes.1, stored }
    }

    /// The children of one layer in the order its forward calls them: each
    /// sub-block (attention, or the feed-forward) with its dropout, and the
    /// norm before it (`norm_first`) or after it.
    fn layer_rows(&self, rows: &mut Rows, prefix: &str, depth: usize, x: &[usize], decoder: bool) -> Dims {
        let wide = [x[0], self.dim_feedforward];
        let same = (x, x);
        let attention =
            vec![self.part("self_attn", "MultiheadAttention", same), self.part("dropout1", "Dropout", same)];
        let cross =
            vec![self.part("multihead_attn", "MultiheadAttention", same), self.part("dropout2", "Dropout", same)];
        let last_dropout = if decoder { "dropout3" } else { "dropout2" };
        let feed_forward = vec![
            self.part("linear1", "Linear", (x, &wide)),
            self.part("dropout", "Dropout", (&wide, &wide)),
            self.part("linear2", "Linear", (&wide, x)),
            self.part(last_dropout, "Dropout", same),
        ];
        let blocks = if decoder { vec![attention, cross, feed_forward] } else { vec![attention, feed_forward] };
        for (index, block) in blocks.into_iter().enumerate() {
            let norm = self.part(["norm1", "norm2", "norm3"][index], "LayerNorm", same);
            let parts = if self.norm_first {
                std::iter::once(norm).chain(block).collect::<Vec<_>>()
            } else {
                block.into_iter().chain(std::iter::once(norm)).collect()
            };
            for part in parts {
                rows.push(format!("{prefix}{}", part.name), part.kind, depth, part.input, part.output, part.stored);
            }
        }
        x.to_vec()
    }

    fn encoder_layer(&self, rows: &mut Rows, prefix: &str, depth: usize, x: &[usize]) -> Dims {
        self.layer_rows(rows, prefix, depth, x, false)
    }

    /// A decoder layer's rows; the memory's shape was checked with the inputs.
    fn decoder_layer(&self, rows: &mut Rows, prefix: &str, depth: usize, x: &[usize], _memory: &[usize]) -> Dims {
        self.layer_rows(rows, prefix, depth, x, true)
    }

    fn encoder(&self, rows: &mut Rows, prefix: &str, depth: usize, x: &[usize], layers: usize) -> Dims {
        for index in 0..layers {
            let path = format!("{prefix}layers.{index}");
            self.encoder_layer(rows, &format!("{path}."), depth + 2, x);
            rows.push(path, "TransformerEncoderLayer", depth + 1, x, x, Vec::new());
        }
        rows.list(format!("{prefix}layers"), depth);
        if let Some(norm) = &self.final_norm {
            rows.push(format!("{prefix}norm"), "LayerNorm", depth, x, x, norm.stored());
        }
        x.to_vec()
    }

    fn decoder(
        &self,
        rows: &mut Rows,
        prefix: &str,
        depth: usize,
        x: &[usize],
        memory: &[usize],
        layers: usize,
    ) -> Dims {
        for index in 0..layers {
            let path = format!("{prefix}layers.{index}");
            self.decoder_layer(rows, &format!("{path}."), depth + 2, x, memory);
            rows.push(path, "TransformerDecoderLayer", depth + 1, x, x, Vec::new());
        }
        rows.list(format!("{prefix}layers"), depth);
        if let Some(norm) = &self.final_norm {
            rows.push(format!("{prefix}norm"), "LayerNorm", depth, x, x, norm.stored());
        }
        x.to_vec()
    }

    /// Everything stored, in registration order (which is not call order).
    pub fn stored(&self) -> Vec<Stored> {
        let attention = self.attention().stored();
        let norm = self.norm().stored();
        let linear1 = self.linear(self.d_model, self.dim_feedforward).stored();
        let linear2 = self.linear(self.dim_feedforward, self.d_model).stored();
        let under = |prefix: &str, stored: &[Stored]| -> Vec<Stored> {
            stored.iter().cloned().map(|stored| stored.within(prefix)).collect()
        };
        let encoder_layer = [
            under("self_attn", &attention),
            under("linear1", &linear1),
            under("linear2", &linear2),
            under("norm1", &norm),
            under("norm2", &norm),
        ]
        .concat();
        let decoder_layer = [
            under("self_attn", &attention),
            under("multihead_attn", &attention),
            under("linear1", &linear1),
            under("linear2", &linear2),
            under("norm1", &norm),
            under("norm2", &norm),
            under("norm3", &norm),
        ]
        .concat();
        let final_norm = self.final_norm.as_ref().map(LayerNorm::stored).unwrap_or_default();
        let stack = |layer: &[Stored], layers: usize| -> Vec<Stored> {
            let mut stored: Vec<Stored> =
                (0..layers).flat_map(|index| under(&format!("layers.{index}"), layer)).collect();
            stored.extend(under("norm", &final_norm));
            stored
        };
        match self.part {
            TransformerPart::EncoderLayer => encoder_layer,
            TransformerPart::DecoderLayer => decoder_layer,
            TransformerPart::Encoder => stack(&encoder_layer, self.num_layers),
            TransformerPart::Decoder => stack(&decoder_layer, self.num_layers),
            TransformerPart::Transformer => [
                under("encoder", &stack(&encoder_layer, self.num_layers)),
                under("decoder", &stack(&decoder_layer, self.num_decoder_layers)),
            ]
            .concat(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attention(embed_dim: usize, num_heads: usize) -> Attention {
        Attention {
            embed_dim,
            num_heads,
            dropout: 0.0,
            bias: true,
            add_bias_kv: false,
            add_zero_attn: false,
            kdim: embed_dim,
            vdim: embed_dim,
            need_weights: true,
            batch_first: true,
        }
    }

    #[test]
    fn self_attention() {
        // MultiheadAttention-1-1040 of the fixture.
        let mha = attention(16, 4);
        let outcome = mha.forward(&[&[12, 16]]);
        assert_eq!(outcome.output, Some(vec![12, 16]));
        assert_eq!(outcome.extra, vec![Extra { dims: vec![12, 12], batch_dim: 0 }]);
        assert_eq!(mha.stored().iter().map(Stored::numel).sum::<usize>(), 1_088);
        assert_eq!(attention(10, 4).validate().len(), 1);
        // Without biases: refused on PyTorch 1.13's fast path only.
        let unbiased = Attention { bias: false, ..attention(16, 4) };
        assert_eq!(unbiased.forward(&[&[12, 16]]).problems, vec![Problem::AttentionBias]);
        assert!(Attention { batch_first: false, ..unbiased.clone() }.forward(&[&[12, 16]]).problems.is_empty());
        assert!(unbiased.forward(&[&[12, 16], &[5, 16], &[5, 16]]).problems.is_empty());
    }

    #[test]
    fn separate_key_and_value_sizes() {
        let mha = Attention { kdim: 6, vdim: 5, add_bias_kv: true, ..attention(8, 2) };
        let names: Vec<_> = mha.stored().into_iter().map(|stored| stored.name).collect();
        assert_eq!(
            names,
            [
                "q_proj_weight",
                "k_proj_weight",
                "v_proj_weight",
                "in_proj_bias",
                "bias_k",
                "bias_v",
                "out_proj.weight",
                "out_proj.bias"
            ]
        );
        let outcome = mha.forward(&[&[4, 8], &[7, 6], &[7, 5]]);
        assert_eq!(outcome.extra[0].dims, vec![4, 8]);
    }

    #[test]
    fn encoder_layer_rows_and_parameters() {
        let layer = Transformer {
            part: TransformerPart::EncoderLayer,
            d_model: 512,
            nhead: 8,
            dim_feedforward: 2048,
            norm_first: false,
            bias: true,
            num_layers: 1,
            num_decoder_layers: 0,
            final_norm: None,
        };
        let outcome = layer.forward(&[&[10, 512]]);
        let kinds: Vec<_> = outcome.children.iter().map(|row| (row.path.as_str(), row.kind)).collect();
        assert_eq!(kinds[0], ("self_attn", "MultiheadAttention"));
        assert_eq!(kinds[2], ("norm1", "LayerNorm"));
        assert_eq!(kinds.len(), 8);
        // 4·512² + 4·512 + 2·512·2048 + 2048 + 512 + 4·512
        assert_eq!(layer.stored().iter().map(Stored::numel).sum::<usize>(), 3_152_384);
    }
}
