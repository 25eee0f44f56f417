//! What the compiler's knowledge allows once the tensors are known: a batch
//! norm on running statistics right after a convolution whose output nothing
//! else reads is folded into the convolution's weight and bias, at load time,
//! so the forward pass skips it.

use netshape_core::program::{Op, Program};
use netshape_core::StateEntry;

use super::super::backend::{Backend, Binary, Unary};
use super::super::Result;

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

fn tensor<'t, B: Backend>(
    entries: &[StateEntry<'static>],
    tensors: &'t [B::Tensor],
    path: &str,
    name: &str,
) -> Option<&'t B::Tensor> {
    entries
        .iter()
        .position(|entry| {
            entry.key.len() == path.len() + 1 + name.len() && entry.key.starts_with(path) && entry.key.ends_with(name)
        })
        .map(|index| &tensors[index])
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
        let (conv_path, norm_path) = (steps[conv].path, step.path);
        let get = |path: &str, name: &str| tensor::<B>(entries, tensors, path, name);
        let (Some(weight), Some(mean), Some(variance)) =
            (get(conv_path, "weight"), get(norm_path, "running_mean"), get(norm_path, "running_var"))
        else {
            continue;
        };
        // scale = γ / √(var + eps), shift = β − mean · scale
        let mut scale = B::unary(&B::unary(&B::affine(variance, 1.0, eps)?, Unary::Sqrt)?, Unary::Recip)?;
        if affine {
            let Some(gamma) = get(norm_path, "weight") else { continue };
            scale = B::binary(&scale, gamma, Binary::Mul)?;
        }
        let mut shift = B::unary(&B::binary(mean, &scale, Binary::Mul)?, Unary::Neg)?;
        if affine {
            let Some(beta) = get(norm_path, "bias") else { continue };
            shift = B::binary(&shift, beta, Binary::Add)?;
        }
        let w_dims = B::dims(weight);
        let mut scale_dims = vec![1; w_dims.len()];
        scale_dims[0] = w_dims[0];
        let new_weight = B::binary(weight, &B::reshape(&scale, &scale_dims)?, Binary::Mul)?;
        let new_bias = match get(conv_path, "bias").filter(|_| has_bias) {
            Some(bias) => B::binary(&B::binary(bias, &scale, Binary::Mul)?, &shift, Binary::Add)?,
            None => shift,
        };
        fused[conv] = Some(Fused::Conv { weight: B::contiguous(&new_weight)?, bias: new_bias });
        fused[index] = Some(Fused::Skip);
    }
    Ok(fused)
}
