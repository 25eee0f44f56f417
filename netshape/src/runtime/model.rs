//! A network with its tensors: loaded, initialised or built, then run.

use core::marker::PhantomData;
use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use netshape_core::program::{Program, Runnable};

use super::backend::Backend;
use super::exec::{fold_steps, lay_out_matrices, op_name, Fused, Loaded};
use super::typed::{check_shape, Signature};
use super::weights::{self, RawTensor};
use super::{init, Candle, Error, Result};

/// A network declared with `network!` and the tensors of its `STATE_DICT`,
/// ready to run on backend `B` (candle unless said otherwise).
///
/// ```
/// use netshape::network;
/// use netshape::runtime::{Batch, Device, Model, Tensor};
///
/// network! {
///     pub struct Tiny { input: [4], fc: Linear(4, 2), relu() }
/// }
///
/// let model = Model::<Tiny>::init(0, &Device::Cpu)?;       // PyTorch's initialisation, seeded
/// let x = Batch::new(Tensor::ones((3, 4), netshape::runtime::DType::F32, &Device::Cpu)?)?;
/// let y = model.forward(x)?;                                 // a `Batch<Tensor1<2>>`
/// assert_eq!(y.tensor().dims(), [3, 2]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct Model<N: Runnable, B: Backend = Candle> {
    tensors: Vec<B::Tensor>,
    /// Batch norms folded into the convolutions before them.
    fused: Vec<Option<Fused<B>>>,
    device: B::Device,
    network: PhantomData<N>,
}

impl<N: Runnable, B: Backend> Clone for Model<N, B> {
    fn clone(&self) -> Self {
        Model {
            tensors: self.tensors.clone(),
            fused: self.fused.clone(),
            device: self.device.clone(),
            network: PhantomData,
        }
    }
}

impl<N: Runnable, B: Backend> core::fmt::Debug for Model<N, B> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Model").field("tensors", &self.tensors.len()).field("device", &self.device).finish()
    }
}

impl<N: Runnable, B: Backend> Model<N, B> {
    /// Loads a checkpoint: safetensors, or what `torch.save(model.state_dict(), path)`
    /// writes (`.pt`, `.pth`). Every key, shape and element type is checked
    /// against `N::STATE_DICT`, and every problem is reported in one error;
    /// `f16`, `bf16` and `f64` tensors become `f32`.
    ///
    /// ```
    /// use netshape::network;
    /// use netshape::runtime::{Device, Error, Model};
    ///
    /// network! {
    ///     pub struct Digits {
    ///         input: [1, 8, 8],
    ///         conv1: Conv2d(1, 16, 3, padding = 1, bias = false), bn1: BatchNorm2d(16), relu(),
    ///         conv2: Conv2d(16, 32, 3, padding = 1), relu(), max_pool2d(2), flatten(1),
    ///         fc1: Linear(32 * 4 * 4, 64), relu(), fc2: Linear(64, 10),
    ///     }
    ///     pub struct Wider {
    ///         input: [1, 8, 8],
    ///         conv1: Conv2d(1, 32, 3, padding = 1, bias = false), flatten(1), fc: Linear(2048, 10),
    ///     }
    /// }
    ///
    /// // `torch.save(model.state_dict(), "digits.pt")`, by `examples/data/train_digits.py`.
    /// let model = Model::<Digits>::load("../examples/data/digits.pt", &Device::Cpu)?;
    /// assert_eq!(model.tensors().count(), 12);
    ///
    /// let error = Model::<Wider>::load("../examples/data/digits.pt", &Device::Cpu).unwrap_err();
    /// assert!(matches!(error, Error::StateDict(_)));
    /// assert!(error.to_string().starts_with(
    ///     "the checkpoint does not match the network: missing keys: `fc.weight`, `fc.bias`; unexpected keys: `bn1.bias`"
    /// ));
    /// # Ok::<(), netshape::runtime::Error>(())
    /// ```
    pub fn load(path: impl AsRef<Path>, device: &B::Device) -> Result<Self> {
        Self::from_raw(weights::read_file(path.as_ref())?, device)
    }

    /// Loads safetensors from memory (`include_bytes!`).
    pub fn from_safetensors(bytes: &[u8], device: &B::Device) -> Result<Self> {
        Self::from_raw(weights::read_safetensors(bytes, "<bytes>")?, device)
    }

    /// Builds the model from tensors read elsewhere, checked as [`load`](Model::load) checks.
    pub fn from_raw(tensors: BTreeMap<String, RawTensor>, device: &B::Device) -> Result<Self> {
        let tensors = weights::check::<B>(N::STATE_DICT, tensors, device)?;
        Self::prepared(tensors, device)
    }

    /// Builds the model from backend tensors by key, checked against
    /// `N::STATE_DICT` (every key, shape; floats where PyTorch has floats).
    pub fn from_tensors(tensors: impl IntoIterator<Item = (String, B::Tensor)>, device: &B::Device) -> Result<Self> {
        let raw = tensors
            .into_iter()
            .map(|(key, tensor)| {
                let shape = B::dims(&tensor);
                let data = if B::is_index(&tensor) {
                    weights::RawData::Int(B::to_i64_vec(&tensor)?, "integers")
                } else {
                    weights::RawData::Float(B::to_f32_vec(&tensor)?, "f32")
                };
                Ok((key, RawTensor { shape, data }))
            })
            .collect::<Result<BTreeMap<_, _>>>()?;
        Self::from_raw(raw, device)
    }

    /// A model initialised as PyTorch initialises each layer (Kaiming-uniform
    /// convolutions and linear layers, ones and zeros for norms, …), from `seed`.
    pub fn init(seed: u64, device: &B::Device) -> Result<Self> {
        let tensors = init::initialise::<B>(&N::PROGRAM, N::STATE_DICT, seed, device)?;
        Self::prepared(tensors, device)
    }

    /// The model with what can be computed once computed: weight matrices
    /// laid out for their products, batch norms and activations folded into
    /// convolutions.
    fn prepared(mut tensors: Vec<B::Tensor>, device: &B::Device) -> Result<Self> {
        lay_out_matrices::<B>(&N::PROGRAM, N::STATE_DICT, &mut tensors)?;
        let fused = fold_steps::<B>(&N::PROGRAM, N::STATE_DICT, &tensors)?;
        Ok(Model { tensors, fused, device: device.clone(), network: PhantomData })
    }

    /// Saves the tensors as safetensors, with PyTorch's keys.
    pub fn save(&self, path: impl AsRef<Path>) -> Result<()> {
        weights::write_safetensors::<B>(N::STATE_DICT, &self.tensors, path.as_ref())
    }

    /// Every `state_dict` key with its tensor, in PyTorch's order.
    pub fn tensors(&self) -> impl Iterator<Item = (&'static str, &B::Tensor)> {
        N::STATE_DICT.iter().map(|entry| entry.key).zip(&self.tensors)
    }

    /// The device the tensors live on.
    pub fn device(&self) -> &B::Device {
        &self.device
    }

    /// Runs the network on typed batches: no shape is checked again.
    pub fn forward(&self, input: <N::Input as Signature>::Batches<B>) -> Result<<N::Output as Signature>::Batches<B>>
    where
        N::Input: Signature,
        N::Output: Signature,
    {
        let outputs = self.run(N::Input::into_tensors::<B>(input), None)?;
        N::Output::from_tensors::<B>(outputs)
    }

    /// Checks raw tensors (`[N, *sample]` each) against the network's inputs
    /// and types them: the one run-time check before [`forward`](Model::forward).
    pub fn input(&self, tensors: Vec<B::Tensor>) -> Result<<N::Input as Signature>::Batches<B>>
    where
        N::Input: Signature,
    {
        sizes_of::<B>(&N::PROGRAM, &tensors)?;
        N::Input::check::<B>(tensors)
    }

    /// Runs the network on raw tensors, checking their shapes here: the
    /// escape hatch when types are in the way.
    pub fn forward_raw(&self, inputs: Vec<B::Tensor>) -> Result<Vec<B::Tensor>> {
        Self::check_raw(&inputs)?;
        self.run(inputs, None)
    }

    /// Runs the network on raw tensors (checked as by
    /// [`forward_raw`](Model::forward_raw)) and returns where the time went:
    /// one entry per step of the program, in order.
    ///
    /// ```
    /// use netshape::network;
    /// use netshape::runtime::{DType, Device, Model, Tensor};
    ///
    /// network! {
    ///     pub struct Small {
    ///         input: [3, 16, 16],
    ///         conv: Conv2d(3, 8, 3, padding = 1), bn: BatchNorm2d(8), relu: ReLU(),
    ///         flatten(1),
    ///         fc: Linear(8 * 16 * 16, 10),
    ///     }
    /// }
    ///
    /// let model = Model::<Small>::init(0, &Device::Cpu)?;
    /// let steps = model.profile(vec![Tensor::zeros((2, 3, 16, 16), DType::F32, &Device::Cpu)?])?;
    /// let names: Vec<(&str, &str, bool)> = steps.iter().map(|step| (step.path, step.op, step.folded)).collect();
    /// assert_eq!(
    ///     names,
    ///     [
    ///         ("conv", "convolution", false),
    ///         // Folded into the convolution at load time: no time of their own.
    ///         ("bn", "batch norm", true),
    ///         ("relu", "activation", true),
    ///         ("", "reshape", false),
    ///         ("fc", "linear", false),
    ///     ]
    /// );
    /// assert_eq!(steps[4].shape, [10]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn profile(&self, inputs: Vec<B::Tensor>) -> Result<Vec<StepTime>> {
        Self::check_raw(&inputs)?;
        let mut times = Vec::with_capacity(N::PROGRAM.steps.len());
        self.run(inputs, Some(&mut times))?;
        Ok(N::PROGRAM
            .steps
            .iter()
            .zip(&self.fused)
            .zip(times)
            .map(|((step, fused), time)| StepTime {
                path: step.path,
                op: op_name(&step.op),
                shape: step.shapes.first().copied().unwrap_or(&[]),
                folded: matches!(fused, Some(Fused::Skip)),
                time,
            })
            .collect())
    }

    fn check_raw(inputs: &[B::Tensor]) -> Result<()> {
        let program = &N::PROGRAM;
        if inputs.len() != program.inputs.len() {
            return Err(Error::InputCount { expected: program.inputs.len(), found: inputs.len() });
        }
        for (index, (tensor, sample)) in inputs.iter().zip(program.inputs).enumerate() {
            // The dims that vary are checked against their conditions by `sizes_of`.
            let mut sample = sample.to_vec();
            for &(input, dim) in program.symbols.iter().flat_map(|symbol| symbol.places) {
                if let (true, Some(size)) = (input == index, sample.get_mut(dim)) {
                    *size = netshape_core::ANY;
                }
            }
            check_shape(B::dims(tensor), &sample, index)?;
        }
        sizes_of::<B>(program, inputs).map(drop)
    }

    fn run(&self, inputs: Vec<B::Tensor>, times: Option<&mut Vec<Duration>>) -> Result<Vec<B::Tensor>> {
        let program = &N::PROGRAM;
        // Floats in, as f32; indices where the network looks them up.
        let inputs = inputs
            .into_iter()
            .enumerate()
            .map(|(index, tensor)| {
                let wants_index = program.index_inputs.contains(&index);
                match (wants_index, B::is_index(&tensor)) {
                    (true, true) => Ok(tensor),
                    (false, false) => B::to_f32(&tensor),
                    (true, false) => Err(Error::InputType {
                        input: index,
                        expected: "indices (an integer type)",
                        found: B::dtype_name(&tensor),
                    }),
                    (false, true) => Err(Error::InputType {
                        input: index,
                        expected: "floating-point numbers",
                        found: B::dtype_name(&tensor),
                    }),
                }
            })
            .collect::<Result<Vec<_>>>()?;
        let sizes = sizes_of::<B>(program, &inputs)?;
        Loaded::<B> { program, entries: N::STATE_DICT, tensors: &self.tensors, fused: &self.fused, sizes: &sizes }
            .run(inputs, times)
    }
}

/// The sizes the program's symbols take in `inputs`, each checked against its
/// declared conditions and against its other places.
fn sizes_of<B: Backend>(program: &Program<'static>, inputs: &[B::Tensor]) -> Result<Vec<usize>> {
    program
        .symbols
        .iter()
        .map(|symbol| {
            let mut size = None;
            for &(input, dim) in symbol.places {
                let dims = inputs.get(input).map(B::dims).unwrap_or_default();
                let found = dims.get(dim + 1).copied().unwrap_or(0);
                if !symbol.admits(found) || size.is_some_and(|size| size != found) {
                    return Err(Error::InputSize {
                        input,
                        dim,
                        symbol: symbol.to_string(),
                        found: dims,
                        other: size.filter(|&size| size != found),
                    });
                }
                size = Some(found);
            }
            Ok(size.unwrap_or(symbol.default))
        })
        .collect()
}

/// One step of a forward pass and its time, from [`Model::profile`].
#[derive(Clone, Debug, PartialEq)]
pub struct StepTime {
    /// The module's path (`layer1.0.conv1`), empty for a functional op.
    pub path: &'static str,
    /// What it computes (`convolution`, `batch norm`, `linear`, …).
    pub op: &'static str,
    /// Its output's per-sample shape.
    pub shape: &'static [usize],
    /// Folded at load time into the convolution before it (a batch norm or
    /// an activation): it only passes its input on.
    pub folded: bool,
    /// Wall time.
    pub time: Duration,
}
