//! What the compiler's knowledge allows once the tensors are known, decided
//! at load time so the forward pass skips steps:
//!
//! - a batch norm on running statistics right after a convolution whose
//!   output nothing else reads is folded into the convolution's weight and
//!   bias;
//! - a ReLU, ReLU6 or Hardtanh right after a convolution (or after a batch
//!   norm folded into one) whose output nothing else reads becomes the
//!   convolution's clamp, applied while its output is still in cache, and
//!   one right after a join (a residual sum) or a linear layer becomes
//!   theirs;
//! - every weight matrix a layer multiplies by transposed (attention,
//!   Transformer and recurrent weights, and `Linear` ones over sequences) is
//!   laid out transposed once, so that each product reads it row by row.

use netshape_core::program::{Activation, Op, Program};
use netshape_core::StateEntry;

use super::super::backend::{Backend, Binary};
use super::super::Result;
use super::basic::running_scale_and_shift;
use super::Params;

/// A step's replacement after folding.
pub enum Fused<B: Backend> {
    /// A convolution with a batch norm or an activation folded in.
    Conv {
        /// The weight, scaled by a folded batch norm.
        weight: B::Tensor,
        /// The bias, shifted by a folded batch norm.
        bias: Option<B::Tensor>,
        /// A folded activation's bounds.
        clamp: Option<[f32; 2]>,
    },
    /// A join (`add`, `mul`, …) or a linear layer with an activation folded in.
    Clamped {
        /// The activation's bounds.
        clamp: [f32; 2],
    },
    /// A step folded into the step before it: passes its input on.
    Skip,
}

impl<B: Backend> Clone for Fused<B> {
    fn clone(&self) -> Self {
        match self {
            Fused::Conv { weight, bias, clamp } => {
                Fused::Conv { weight: weight.clone(), bias: bias.clone(), clamp: *clamp }
            }
            Fused::Clamped { clamp } => Fused::Clamped { clamp: *clamp },
            Fused::Skip => Fused::Skip,
        }
    }
}

/// Which step makes each value, and how many steps (or outputs) read it.
struct Flow {
    producer: Vec<Option<usize>>,
    readers: Vec<usize>,
}

impl Flow {
    fn of(program: &Program<'static>) -> Flow {
        let count = program.value_count();
        let mut producer: Vec<Option<usize>> = vec![None; count];
        let mut readers = vec![0usize; count];
        let mut next = program.inputs.len();
        for (index, step) in program.steps.iter().enumerate() {
            for &value in step.inputs {
                readers[value] += 1;
            }
            for slot in &mut producer[next..next + step.outputs] {
                *slot = Some(index);
            }
            next += step.outputs;
        }
        for &output in program.outputs {
            readers[output] += 1;
        }
        Flow { producer, readers }
    }

    /// The step that alone reads into `value`'s reader: its producer, if
    /// nothing else reads `value`.
    fn sole_producer(&self, value: usize) -> Option<usize> {
        self.producer[value].filter(|_| self.readers[value] == 1)
    }
}

/// Rows per sample from which a linear layer's weight is laid out for products.
const MANY_ROWS: usize = 16;

/// Lays out the weight matrices of attention, Transformer and recurrent
/// steps, and of linear layers applied to many rows per sample, column by
/// column: the same `[out, in]` tensor, whose transpose (what `x · weightᵀ`
/// multiplies by) is then row-major.
pub fn lay_out_matrices<B: Backend>(
    program: &Program<'static>,
    entries: &[StateEntry<'static>],
    tensors: &mut [B::Tensor],
) -> Result<()> {
    for step in program.steps {
        // A linear layer with few rows per sample (a classifier: one) is a
        // matrix-vector product, which reads the weight as fast either way.
        let rows = step.shapes.first().map_or(1, |shape| shape.iter().rev().skip(1).product::<usize>());
        let laid_out = match step.op {
            Op::Attention { .. } | Op::Transformer { .. } | Op::Recurrent { .. } => true,
            Op::Linear { .. } => rows >= MANY_ROWS,
            _ => false,
        };
        if !laid_out {
            continue;
        }
        let prefix = format!("{}.", step.path);
        let start = step.params.min(entries.len()).min(tensors.len());
        for (entry, tensor) in entries[start..].iter().zip(&mut tensors[start..]) {
            if !entry.key.starts_with(prefix.as_str()) {
                break;
            }
            let name = entry.key.rsplit('.').next().unwrap_or_default();
            if entry.shape.len() == 2 && name.contains("weight") {
                *tensor = B::column_major(tensor)?;
            }
        }
    }
    Ok(())
}

/// For each step, its replacement, if something was folded.
pub fn fold_steps<B: Backend>(
    program: &Program<'static>,
    entries: &[StateEntry<'static>],
    tensors: &[B::Tensor],
) -> Result<Vec<Option<Fused<B>>>> {
    let steps = program.steps;
    let flow = Flow::of(program);
    let mut fused: Vec<Option<Fused<B>>> = (0..steps.len()).map(|_| None).collect();
    for (index, step) in steps.iter().enumerate() {
        let Op::BatchNorm { eps, affine, running: true } = step.op else { continue };
        let Some(conv) = flow.sole_producer(step.inputs[0]) else { continue };
        let Op::Conv { bias: has_bias, .. } = steps[conv].op else { continue };
        if fused[conv].is_some() {
            continue;
        }
        let (conv_params, norm) =
            (Params::<B>::of_step(&steps[conv], entries, tensors), Params::<B>::of_step(step, entries, tensors));
        let Some(weight) = conv_params.find("weight") else { continue };
        let (scale, shift) = running_scale_and_shift::<B>(&norm, eps, affine)?;
        let w_dims = B::dims(weight);
        let mut scale_dims = vec![1; w_dims.len()];
        scale_dims[0] = w_dims[0];
        let new_weight = B::binary(weight, &B::reshape(&scale, &scale_dims)?, Binary::Mul)?;
        let new_bias = match conv_params.find("bias").filter(|_| has_bias) {
            Some(bias) => B::binary(&B::binary(bias, &scale, Binary::Mul)?, &shift, Binary::Add)?,
            None => shift,
        };
        fused[conv] = Some(Fused::Conv { weight: B::contiguous(&new_weight)?, bias: Some(new_bias), clamp: None });
        fused[index] = Some(Fused::Skip);
    }
    for (index, step) in steps.iter().enumerate() {
        let Op::Activation(activation) = step.op else { continue };
        let bounds = match activation {
            Activation::Relu => [0.0, f32::INFINITY],
            Activation::Relu6 => [0.0, 6.0],
            Activation::Hardtanh(min, max) if min <= max => [min as f32, max as f32],
            _ => continue,
        };
        // Through a folded batch norm, whose output is its conv's.
        let mut source = flow.sole_producer(step.inputs[0]);
        if let Some(norm) = source.filter(|&norm| matches!(fused[norm], Some(Fused::Skip))) {
            source = flow.sole_producer(steps[norm].inputs[0]);
        }
        let Some(conv) = source else { continue };
        if matches!(steps[conv].op, Op::Join(_) | Op::Linear { .. }) && fused[conv].is_none() {
            fused[conv] = Some(Fused::Clamped { clamp: bounds });
            fused[index] = Some(Fused::Skip);
            continue;
        }
        let Op::Conv { bias: has_bias, .. } = steps[conv].op else { continue };
        let slot = &mut fused[conv];
        match slot {
            Some(Fused::Conv { clamp: clamp @ None, .. }) => *clamp = Some(bounds),
            None => {
                let params = Params::<B>::of_step(&steps[conv], entries, tensors);
                let Some(weight) = params.find("weight") else { continue };
                let bias = if has_bias { params.find("bias").cloned() } else { None };
                *slot = Some(Fused::Conv { weight: weight.clone(), bias, clamp: Some(bounds) });
            }
            _ => continue,
        }
        fused[index] = Some(Fused::Skip);
    }
    Ok(fused)
}
