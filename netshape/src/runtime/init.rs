//! Fresh parameters, drawn as PyTorch's `reset_parameters` draws them for
//! each layer (the distributions, not PyTorch's random stream), from a seed.

use netshape_core::program::{Op, Program, TransformerPart};
use netshape_core::StateEntry;

use super::backend::Backend;
use super::weights::is_counter;
use super::Result;

/// A small, fast, seedable generator (SplitMix64).
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `[0, 1)`.
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn uniform(&mut self, bound: f64) -> f32 {
        ((2.0 * self.unit() - 1.0) * bound) as f32
    }

    fn normal(&mut self, std: f64) -> f32 {
        // Box–Muller.
        let (u, v) = (1.0 - self.unit(), self.unit());
        ((-2.0 * u.ln()).sqrt() * (2.0 * core::f64::consts::PI * v).cos() * std) as f32
    }
}

/// How one tensor starts.
enum Start {
    Uniform(f64),
    Normal(f64),
    Constant(f32),
}

/// `fan_in` and `fan_out` of a weight, as `torch.nn.init` computes them.
fn fans(shape: &[usize]) -> (f64, f64) {
    let receptive: usize = shape.iter().skip(2).product();
    let fan_in = shape.get(1).copied().unwrap_or(1) * receptive;
    let fan_out = shape.first().copied().unwrap_or(1) * receptive;
    (fan_in.max(1) as f64, fan_out.max(1) as f64)
}

fn start(op: &Op, relative: &str, entry: &StateEntry, siblings: &[StateEntry]) -> Start {
    let name = relative.rsplit('.').next().unwrap_or(relative);
    let xavier = |shape: &[usize]| {
        let (fan_in, fan_out) = fans(shape);
        Start::Uniform((6.0 / (fan_in + fan_out)).sqrt())
    };
    // Kaiming-uniform with a = √5: bound 1/√fan_in, for weights and their biases.
    let kaiming = |weight: &[usize]| Start::Uniform(1.0 / fans(weight).0.sqrt());
    let weight_of = |bias_key: &str| {
        let weight_key = bias_key.strip_suffix("bias").map(|stem| format!("{stem}weight"));
        siblings.iter().find(|sibling| Some(sibling.key) == weight_key.as_deref()).map(|sibling| sibling.shape)
    };
    match op {
        Op::Linear { .. } | Op::Conv { .. } | Op::ConvTranspose { .. } => match name {
            "bias" => kaiming(weight_of(entry.key).unwrap_or(entry.shape)),
            _ => kaiming(entry.shape),
        },
        Op::Embedding { .. } | Op::EmbeddingBag { .. } => Start::Normal(1.0),
        Op::PRelu { init } => Start::Constant(*init as f32),
        Op::Recurrent { hidden, .. } => Start::Uniform(1.0 / (*hidden as f64).sqrt()),
        Op::Attention { .. } => attention_start(relative, entry, &xavier, &kaiming),
        Op::Transformer { part, .. } => {
            // `nn.Transformer` re-draws every matrix Xavier-uniform.
            if *part == TransformerPart::Transformer && entry.shape.len() > 1 {
                return xavier(entry.shape);
            }
            if relative.contains("attn.") {
                let inner = relative.rsplit_once("attn.").map_or(relative, |(_, inner)| inner);
                return attention_start(inner, entry, &xavier, &kaiming);
            }
            if relative.contains("linear") {
                return match name {
                    "bias" => kaiming(weight_of(entry.key).unwrap_or(entry.shape)),
                    _ => kaiming(entry.shape),
                };
            }
            norm_start(name)
        }
        _ => norm_start(name),
    }
}

fn attention_start(
    relative: &str,
    entry: &StateEntry,
    xavier: &dyn Fn(&[usize]) -> Start,
    kaiming: &dyn Fn(&[usize]) -> Start,
) -> Start {
    match relative {
        "in_proj_weight" | "q_proj_weight" | "k_proj_weight" | "v_proj_weight" => xavier(entry.shape),
        "out_proj.weight" => kaiming(entry.shape),
        "bias_k" | "bias_v" => {
            let (fan_in, fan_out) = fans(entry.shape);
            Start::Normal((2.0 / (fan_in + fan_out)).sqrt())
        }
        _ => Start::Constant(0.0),
    }
}

fn norm_start(name: &str) -> Start {
    match name {
        "weight" | "running_var" => Start::Constant(1.0),
        _ => Start::Constant(0.0),
    }
}

/// Every `STATE_DICT` tensor, drawn for the op that owns it.
pub fn initialise<B: Backend>(
    program: &Program<'static>,
    entries: &[StateEntry<'static>],
    seed: u64,
    device: &B::Device,
) -> Result<Vec<B::Tensor>> {
    let mut random = Random(seed);
    entries
        .iter()
        .map(|entry| {
            let count: usize = entry.shape.iter().product();
            if is_counter(entry) {
                return B::from_i64(device, vec![0; count], entry.shape);
            }
            // The op whose module holds the key: the longest matching path.
            let owner = program
                .steps
                .iter()
                .filter(|step| {
                    !step.path.is_empty()
                        && entry.key.starts_with(step.path)
                        && entry.key.as_bytes().get(step.path.len()) == Some(&b'.')
                })
                .max_by_key(|step| step.path.len());
            let (op, relative) = match owner {
                Some(step) => (step.op, &entry.key[step.path.len() + 1..]),
                None => (Op::Identity, entry.key),
            };
            let data: Vec<f32> = match start(&op, relative, entry, entries) {
                Start::Uniform(bound) => (0..count).map(|_| random.uniform(bound)).collect(),
                Start::Normal(std) => (0..count).map(|_| random.normal(std)).collect(),
                Start::Constant(value) => vec![value; count],
            };
            B::from_f32(device, data, entry.shape)
        })
        .collect()
}
