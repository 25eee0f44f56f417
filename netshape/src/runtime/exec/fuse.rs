//! What the compiler's knowledge allows once the tensors are known: a batch
//! norm on running statistics right after a convolution whose output nothing
//! else reads is folded into the convolution's weight and bias, at load time,
//! so the forward pass skips it.

use netshape_core::program::{Op, Program};
use netshape_core::StateEntry;

use super::super::backend::{Backend, Binary};
use super::super::Result;
use super::basic::running_scale_and_shift;
use super::Params;

/// A step's replacement after folding.
pub enum Fused<B: Backend> {
    /// A convolution with a batch norm folded in.
    Conv { weight: B::Tensor, bias: B::Tensor },
    /// A batch norm folded into the convolution before it: passes its input on.
    Skip,
}

impl<B: Backend> Clone for Fused<B> {
    fn clone(&self) -> Self {
        match self {
            Fused::Conv { weight, bias } => Fused::Conv { weight: weight.clone(), bias: bias.clone() },
            Fused::Skip => Fused::Skip,
        }
    }
}

/// For each step, its replacement, if a batch norm was folded.
pub fn fold_batch_norms<B: Backend>(
    program: &Program<'static>,
    entries: &[StateEntry<'static>],
    tensors: &[B::Tensor],
) -> Result<Vec<Option<Fused<B>>>> {
    let steps = program.steps;
    let count = program.value_count();
    let mut producer: Vec<Option<usize>> = vec![None; count];
    let mut readers = vec![0usize; count];
    let mut next = program.inputs.len();
    for (index, step) in steps.iter().enumerate() {
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
    let mut fused: Vec<Option<Fused<B>>> = (0..steps.len()).map(|_| None).collect();
    for (index, step) in steps.iter().enumerate() {
        let Op::BatchNorm { eps, affine, running: true } = step.op else { continue };
        let value = step.inputs[0];
        let Some(conv) = producer[value].filter(|_| readers[value] == 1) else { continue };
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
        fused[conv] = Some(Fused::Conv { weight: B::contiguous(&new_weight)?, bias: new_bias });
        fused[index] = Some(Fused::Skip);
    }
    Ok(fused)
}
