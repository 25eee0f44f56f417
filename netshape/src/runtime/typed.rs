//! Typed inputs and outputs: a batch of samples whose shape is in the type.

use core::marker::PhantomData;

use netshape_core::Shape;

use super::backend::Backend;
use super::{Candle, Error, Result};

/// A batch of tensors whose per-sample shape is `S` (a [`Tensor3<1, 8, 8>`]
/// marker, say); the batch size is the tensor's first dim and may be any.
///
/// Making one is the run time's one shape check; after that, a network whose
/// input is `S` takes it without checking again, and one whose input differs
/// does not compile.
///
/// [`Tensor3<1, 8, 8>`]: netshape_core::Tensor3
///
/// ```
/// use netshape::runtime::{Batch, Device, Tensor};
/// use netshape::Tensor3;
///
/// let raw = Tensor::zeros((5, 1, 8, 8), netshape::runtime::DType::F32, &Device::Cpu)?;
/// let images: Batch<Tensor3<1, 8, 8>> = Batch::new(raw)?;
/// assert_eq!(images.batch_size(), 5);
///
/// let wrong = Tensor::zeros((5, 8, 8), netshape::runtime::DType::F32, &Device::Cpu)?;
/// let error = Batch::<Tensor3<1, 8, 8>>::new(wrong).unwrap_err();
/// assert_eq!(error.to_string(), "input 0 must have shape [N, 1, 8, 8] (a batch of [1, 8, 8]), but the tensor's shape is [5, 8, 8]");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct Batch<S, B: Backend = Candle> {
    tensor: B::Tensor,
    shape: PhantomData<S>,
}

impl<S, B: Backend> Clone for Batch<S, B> {
    fn clone(&self) -> Self {
        Batch { tensor: self.tensor.clone(), shape: PhantomData }
    }
}

impl<S, B: Backend> core::fmt::Debug for Batch<S, B> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Batch").field("tensor", &self.tensor).finish()
    }
}

impl<S: Shape, B: Backend> Batch<S, B> {
    /// Checks that `tensor` is `[N, *S]` (N at least 1).
    pub fn new(tensor: B::Tensor) -> Result<Self> {
        Self::checked(tensor, 0)
    }

    fn checked(tensor: B::Tensor, input: usize) -> Result<Self> {
        check_shape(B::dims(&tensor), S::DIMS, input)?;
        Ok(Batch { tensor, shape: PhantomData })
    }

    /// How many samples it holds.
    pub fn batch_size(&self) -> usize {
        B::dims(&self.tensor)[0]
    }

    /// The tensor, `[N, *S]`.
    pub fn tensor(&self) -> &B::Tensor {
        &self.tensor
    }

    /// The tensor, giving up the type: the escape hatch to the tensor library.
    pub fn into_inner(self) -> B::Tensor {
        self.tensor
    }

    /// A batch the program made: its shape is right by construction.
    pub(crate) fn trusted(tensor: B::Tensor) -> Self {
        Batch { tensor, shape: PhantomData }
    }
}

/// The run time's one shape check: input number `input`, of shape `dims`,
/// must be a batch (at least one) of `sample`s.
/// Whether a batched tensor has the sample shape; an `ANY` dim takes any
/// size, which the network checks against its declared conditions.
pub(crate) fn check_shape(dims: Vec<usize>, sample: &[usize], input: usize) -> Result<()> {
    let fits = |(&found, &wanted): (&usize, &usize)| found == wanted || (wanted == netshape_core::ANY && found > 0);
    if dims.len() != sample.len() + 1 || !dims[1..].iter().zip(sample).all(fits) || dims[0] == 0 {
        return Err(Error::InputShape { input, expected: sample.to_vec(), found: dims });
    }
    Ok(())
}

/// The typed tensors of a network's inputs or outputs: a [`Batch`] for one,
/// a tuple of them for several. Implemented for the markers `network!` uses
/// as `Network::Input` and `Network::Output`.
pub trait Signature {
    /// The typed batches.
    type Batches<B: Backend>;
    /// How many tensors.
    const COUNT: usize;
    /// The raw tensors, in order.
    fn into_tensors<B: Backend>(batches: Self::Batches<B>) -> Vec<B::Tensor>;
    /// The typed batches of raw tensors the program made.
    fn from_tensors<B: Backend>(tensors: Vec<B::Tensor>) -> Result<Self::Batches<B>>;
    /// Checks raw tensors against the shapes.
    fn check<B: Backend>(tensors: Vec<B::Tensor>) -> Result<Self::Batches<B>>;
}

macro_rules! single {
    ($($name:ident [$($dim:ident),*]),*) => {$(
        impl<$(const $dim: usize),*> Signature for netshape_core::$name<$($dim),*> {
            type Batches<B: Backend> = Batch<Self, B>;
            const COUNT: usize = 1;
            fn into_tensors<B: Backend>(batches: Self::Batches<B>) -> Vec<B::Tensor> {
                vec![batches.tensor]
            }
            fn from_tensors<B: Backend>(tensors: Vec<B::Tensor>) -> Result<Self::Batches<B>> {
                let tensor = tensors.into_iter().next().ok_or_else(|| Error::Internal("no output".into()))?;
                Ok(Batch::trusted(tensor))
            }
            fn check<B: Backend>(tensors: Vec<B::Tensor>) -> Result<Self::Batches<B>> {
                let found = tensors.len();
                let tensor = tensors.into_iter().next().filter(|_| found == 1).ok_or(Error::InputCount { expected: 1, found })?;
                Batch::checked(tensor, 0)
            }
        }
    )*};
}

single!(
    Tensor0 [], Tensor1 [D0], Tensor2 [D0, D1], Tensor3 [D0, D1, D2], Tensor4 [D0, D1, D2, D3],
    Tensor5 [D0, D1, D2, D3, D4], Tensor6 [D0, D1, D2, D3, D4, D5], Tensor7 [D0, D1, D2, D3, D4, D5, D6],
    Tensor8 [D0, D1, D2, D3, D4, D5, D6, D7]
);

macro_rules! tuple {
    ($count:literal: $($part:ident $index:tt),*) => {
        impl<$($part: Shape),*> Signature for ($($part,)*) {
            type Batches<B: Backend> = ($(Batch<$part, B>,)*);
            const COUNT: usize = $count;
            fn into_tensors<B: Backend>(batches: Self::Batches<B>) -> Vec<B::Tensor> {
                vec![$(batches.$index.tensor),*]
            }
            fn from_tensors<B: Backend>(tensors: Vec<B::Tensor>) -> Result<Self::Batches<B>> {
                let mut tensors = tensors.into_iter();
                Ok(($(Batch::<$part, B>::trusted(tensors.next().ok_or_else(|| Error::Internal("too few outputs".into()))?),)*))
            }
            fn check<B: Backend>(tensors: Vec<B::Tensor>) -> Result<Self::Batches<B>> {
                if tensors.len() != $count {
                    return Err(Error::InputCount { expected: $count, found: tensors.len() });
                }
                let mut tensors = tensors.into_iter();
                Ok(($(Batch::<$part, B>::checked(tensors.next().ok_or_else(|| Error::Internal("too few inputs".into()))?, $index)?,)*))
            }
        }
    };
}

tuple!(2: A 0, C 1);
tuple!(3: A 0, C 1, D 2);
tuple!(4: A 0, C 1, D 2, E 3);
tuple!(5: A 0, C 1, D 2, E 3, F 4);
tuple!(6: A 0, C 1, D 2, E 3, F 4, G 5);
