//! Running networks: typed inputs and outputs (tuples for several), index
//! inputs, the raw escape hatch and its checks, PyTorch-style initialisation,
//! and reused modules sharing their weights.

use netshape::network;
use netshape::runtime::{Batch, DType, Device, Error, Model, Tensor};
use netshape::{Tensor1, Tensor2};

network! {
    /// Two inputs, two outputs: a shared trunk and two heads.
    pub struct TwoHeads {
        input image: [12],
        input tags: [3] as i64,
        let features = image -> [trunk: Linear(12, 8), relu()],
        let tagged = tags -> [embed: Embedding(10, 8), mean(dim = 1)],
        let joined = add([features], [tagged]),
        let scores = joined -> [scorer: Linear(8, 4)],
        let gate = joined -> [gater: Linear(8, 1), sigmoid()],
        output: (scores, gate),
    }

    /// A module called twice: one set of weights, two rows.
    pub struct Twice { input: [6], fc: Linear(6, 6), fc, tanh() }

    /// The same network with its modules registered in another order than
    /// it calls them, as an `__init__` may: `fc` before `conv`.
    pub struct CalledOrder { input: [3, 6, 6], conv: Conv2d(3, 4, 3), flatten(1), fc: Linear(64, 5) }

    #[state_order(fc, conv)]
    pub struct RegisteredOrder { input: [3, 6, 6], conv: Conv2d(3, 4, 3), flatten(1), fc: Linear(64, 5) }

    /// A pad that crops a dim away, as PyTorch allows: an empty output.
    pub struct CroppedAway { input: [2, 4], pad((0, -4)), relu() }

    /// Raw parameters joined with the chain: scaled per row, a token
    /// prepended over the batch.
    pub struct Tokens {
        input: [3, 4],
        scale: Parameter(3, 1),
        token: Parameter(1, 1, 4),
        let scaled = mul(scale, []),
        cat(token, scaled, dim = 1),
    }
}

fn device() -> Device {
    Device::Cpu
}

#[test]
fn several_inputs_and_outputs_are_tuples() {
    let model = Model::<TwoHeads>::init(1, &device()).unwrap();
    let image = Batch::<Tensor1<12>>::new(Tensor::ones((5, 12), DType::F32, &device()).unwrap()).unwrap();
    let tags = Batch::<Tensor1<3>>::new(Tensor::new(&[[1i64, 2, 3]; 5], &device()).unwrap()).unwrap();
    let (scores, gate): (Batch<Tensor1<4>>, Batch<Tensor1<1>>) = model.forward((image, tags)).unwrap();
    assert_eq!(scores.tensor().dims(), [5, 4]);
    assert_eq!(gate.batch_size(), 5);
    let gate: Vec<f32> = gate.into_inner().flatten_all().unwrap().to_vec1().unwrap();
    assert!(gate.iter().all(|value| (0.0..=1.0).contains(value)));
}

#[test]
fn raw_inputs_are_checked_with_the_expected_and_actual_shape() {
    let model = Model::<TwoHeads>::init(1, &device()).unwrap();
    let image = Tensor::ones((2, 12), DType::F32, &device()).unwrap();
    let tags = Tensor::new(&[[1i64, 2, 3], [4, 5, 6]], &device()).unwrap();
    let outputs = model.forward_raw(vec![image.clone(), tags.clone()]).unwrap();
    assert_eq!(outputs.len(), 2);

    let error = model.forward_raw(vec![image.clone()]).unwrap_err();
    assert_eq!(error.to_string(), "the network takes 2 inputs, but 1 were given");
    let wide = Tensor::ones((2, 13), DType::F32, &device()).unwrap();
    let error = model.forward_raw(vec![wide, tags.clone()]).unwrap_err();
    assert_eq!(
        error.to_string(),
        "input 0 must have shape [N, 12] (a batch of [12]), but the tensor's shape is [2, 13]"
    );
    let error = model.forward_raw(vec![image.clone(), tags.to_dtype(DType::F32).unwrap()]).unwrap_err();
    assert!(matches!(error, Error::InputType { input: 1, .. }), "{error}");
    assert_eq!(error.to_string(), "input 1 must hold indices (an integer type), but the tensor holds f32");
    let error = model.forward_raw(vec![tags.clone(), tags]).unwrap_err();
    assert!(matches!(error, Error::InputShape { input: 0, .. }), "{error}");

    let typed = model.input(vec![image.clone()]).unwrap_err();
    assert!(matches!(typed, Error::InputCount { expected: 2, found: 1 }));
}

#[test]
fn floats_of_other_types_are_read_as_f32() {
    let model = Model::<Twice>::init(3, &device()).unwrap();
    let x = Tensor::new(&[[0.5f64, -1.0, 2.0, 0.0, 1.0, -0.25]], &device()).unwrap();
    let from_f64 = model.forward_raw(vec![x.clone()]).unwrap().remove(0);
    let from_f32 = model.forward_raw(vec![x.to_dtype(DType::F32).unwrap()]).unwrap().remove(0);
    assert_eq!(from_f64.to_vec2::<f32>().unwrap(), from_f32.to_vec2::<f32>().unwrap());
}

#[test]
fn a_module_called_again_uses_the_same_weights() {
    let model = Model::<Twice>::init(3, &device()).unwrap();
    assert_eq!(Twice::STATE_DICT.len(), 2);
    let x = Tensor::new(&[[0.5f32, -1.0, 2.0, 0.0, 1.0, -0.25]], &device()).unwrap();
    let y = model.forward(Batch::<Tensor1<6>>::new(x.clone()).unwrap()).unwrap().into_inner();
    let (weight, bias) = (model.tensors().next().unwrap().1.clone(), model.tensors().nth(1).unwrap().1.clone());
    let once = |x: &Tensor| x.matmul(&weight.t().unwrap()).unwrap().broadcast_add(&bias).unwrap();
    let expected = once(&once(&x)).tanh().unwrap();
    let difference: f32 = (y - expected).unwrap().abs().unwrap().max_all().unwrap().to_scalar().unwrap();
    assert!(difference < 1e-6, "{difference}");
}

network! {
    pub struct Layers {
        input: [4, 10],
        // A bias here only to check how it is drawn.
        #[allow(netshape::bias_before_norm)]
        conv: Conv1d(4, 64, 3),
        norm: BatchNorm1d(64),
        flatten(1),
        fc: Linear(64 * 8, 5),
        attention_in: Unflatten(1, (1, 5)),
        lstm: LSTM(5, 7),
    }
}

#[test]
fn init_draws_as_pytorch_does_and_repeats_with_the_seed() {
    let model = Model::<Layers>::init(7, &device()).unwrap();
    let values = |key: &str| -> Vec<f32> {
        let (_, tensor) = model.tensors().find(|(name, _)| *name == key).unwrap();
        tensor.flatten_all().unwrap().to_vec1().unwrap()
    };
    // Kaiming-uniform with a = √5: within ±1/√fan_in, and spread across it.
    let bound = 1.0 / (4.0f32 * 3.0).sqrt();
    let weight = values("conv.weight");
    assert!(weight.iter().all(|value| value.abs() <= bound));
    assert!(weight.iter().any(|value| value.abs() > 0.9 * bound));
    let mean = weight.iter().sum::<f32>() / weight.len() as f32;
    assert!(mean.abs() < 0.05, "{mean}");
    assert!(values("conv.bias").iter().all(|value| value.abs() <= bound));
    assert!(values("norm.weight").iter().all(|&value| value == 1.0));
    assert!(values("norm.bias").iter().all(|&value| value == 0.0));
    assert!(values("norm.running_var").iter().all(|&value| value == 1.0));
    let fc_bound = 1.0 / (64.0f32 * 8.0).sqrt();
    assert!(values("fc.weight").iter().all(|value| value.abs() <= fc_bound));
    let hidden_bound = 1.0 / 7f32.sqrt();
    assert!(values("lstm.weight_hh_l0").iter().all(|value| value.abs() <= hidden_bound));

    let again = Model::<Layers>::init(7, &device()).unwrap();
    let other = Model::<Layers>::init(8, &device()).unwrap();
    let first = |model: &Model<Layers>| -> Vec<f32> {
        model.tensors().next().unwrap().1.flatten_all().unwrap().to_vec1().unwrap()
    };
    assert_eq!(first(&model), first(&again));
    assert_ne!(first(&model), first(&other));
    let x = Batch::<Tensor2<4, 10>>::new(Tensor::ones((2, 4, 10), DType::F32, &device()).unwrap()).unwrap();
    assert_eq!(model.forward(x).unwrap().tensor().dims(), [2, 1, 7]);
}

#[test]
fn indices_outside_the_table_are_an_error() {
    let model = Model::<TwoHeads>::init(1, &device()).unwrap();
    let image = Tensor::ones((1, 12), DType::F32, &device()).unwrap();
    for bad in [[1i64, 2, 10], [1, -1, 3]] {
        let tags = Tensor::new(&[bad], &device()).unwrap();
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            model.forward_raw(vec![image.clone(), tags.clone()])
        }));
        let error = result.expect("no panic").unwrap_err();
        assert!(
            error.to_string().starts_with("in `tagged.embed`") || error.to_string().starts_with("in `embed`"),
            "{error}"
        );
    }
}

#[test]
fn an_output_cropped_to_nothing_is_empty() {
    let model = Model::<CroppedAway>::init(0, &device()).unwrap();
    let input = Tensor::ones((3, 2, 4), DType::F32, &device()).unwrap();
    let outputs = model.forward_raw(vec![input]).unwrap();
    assert_eq!(outputs[0].dims(), [3, 2, 0]);
}

#[test]
fn raw_parameters_join_the_chain() {
    let scale = Tensor::new(&[[2f32], [3.0], [4.0]], &device()).unwrap();
    let token = Tensor::new(&[[[7f32, 8.0, 9.0, 10.0]]], &device()).unwrap();
    let tensors = vec![("scale".to_owned(), scale), ("token".to_owned(), token)];
    let model = Model::<Tokens>::from_tensors(tensors, &device()).unwrap();
    assert_eq!(Tokens::STATE_DICT.iter().map(|entry| entry.key).collect::<Vec<_>>(), ["scale", "token"]);
    let input = Tensor::ones((2, 3, 4), DType::F32, &device()).unwrap();
    let outputs = model.forward_raw(vec![input]).unwrap();
    // For both samples: the token first, then each row of ones scaled.
    let sample = [[7.0, 8.0, 9.0, 10.0], [2.0; 4], [3.0; 4], [4.0; 4]];
    let values: Vec<Vec<Vec<f32>>> = outputs[0].to_vec3().unwrap();
    assert_eq!(values, [sample, sample]);
}

#[test]
fn registration_order_sets_the_state_dict_not_the_computation() {
    let keys: Vec<_> = RegisteredOrder::STATE_DICT.iter().map(|entry| entry.key).collect();
    assert_eq!(keys, ["fc.weight", "fc.bias", "conv.weight", "conv.bias"]);
    let called = Model::<CalledOrder>::init(7, &device()).unwrap();
    let tensors: Vec<(String, Tensor)> =
        called.tensors().map(|(key, tensor)| (key.to_owned(), tensor.clone())).collect();
    let registered = Model::<RegisteredOrder>::from_tensors(tensors, &device()).unwrap();
    let input = Tensor::arange(0f32, 108.0, &device()).unwrap().reshape((1, 3, 6, 6)).unwrap();
    let a: Vec<Vec<f32>> = called.forward_raw(vec![input.clone()]).unwrap()[0].to_vec2().unwrap();
    let b: Vec<Vec<f32>> = registered.forward_raw(vec![input]).unwrap()[0].to_vec2().unwrap();
    assert_eq!(a, b);
}

network! {
    /// Each activation right after a convolution (or after a batch norm
    /// folded into one): folded into the convolution at load time.
    pub struct ActivationsFolded {
        input: [3, 9, 9],
        #[allow(netshape::bias_before_norm)]
        conv: Conv2d(3, 6, 3, padding = 1), bn: BatchNorm2d(6), act: ReLU6(),
        conv2: Conv2d(6, 6, 3, stride = 2), hardtanh(-0.5, 0.25),
        depthwise: Conv2d(6, 6, 3, padding = 1, groups = 6), relu(),
        grouped: Conv2d(6, 4, 1, groups = 2), relu(),
        flatten(2),
        line: Conv1d(4, 3, 2, padding = 1), relu(),
    }

    /// The same computation with every convolution's output read twice, so
    /// that no activation can be folded.
    pub struct ActivationsApart {
        input: [3, 9, 9],
        let normed = [
            #[allow(netshape::bias_before_norm)]
            conv: Conv2d(3, 6, 3, padding = 1),
            bn: BatchNorm2d(6),
        ],
        normed, act: ReLU6(),
        let strided = [conv2: Conv2d(6, 6, 3, stride = 2)],
        strided, hardtanh(-0.5, 0.25),
        let spread = [depthwise: Conv2d(6, 6, 3, padding = 1, groups = 6)],
        spread, relu(),
        let grouped = [grouped: Conv2d(6, 4, 1, groups = 2)],
        grouped, relu(),
        flatten(2),
        let lined = [line: Conv1d(4, 3, 2, padding = 1)],
        lined,
        let out = [relu()],
        output: (out, normed, strided, spread, grouped, lined),
    }

    /// A linear layer and its ReLU, a residual sum and its ReLU: one pass each.
    pub struct ResidualFolded {
        input: [4, 6],
        let skip = [],
        fc: Linear(6, 6), relu(),
        fc2: Linear(6, 6),
        add([], skip), relu(),
    }

    /// The same with the layer's output and the sum read twice, so that
    /// their ReLUs stay apart.
    pub struct ResidualApart {
        input: [4, 6],
        let skip = [],
        let hidden = [fc: Linear(6, 6)],
        hidden, relu(),
        fc2: Linear(6, 6),
        let summed = add([], skip),
        summed,
        let out = [relu()],
        output: (out, summed, hidden),
    }
}

#[test]
fn activations_folded_into_convolutions_compute_what_they_would_apart() {
    let device = device();
    // Random weights, and batch statistics far from the identity.
    let tensors: Vec<(String, Tensor)> = ActivationsFolded::STATE_DICT
        .iter()
        .map(|entry| {
            let low = if entry.key.ends_with("running_var") { 0.5 } else { -1.0 };
            (entry.key.to_owned(), Tensor::rand(low, 1.5f32, entry.shape, &device).unwrap())
        })
        .filter(|(key, _)| !key.ends_with("num_batches_tracked"))
        .chain([("bn.num_batches_tracked".to_owned(), Tensor::new(0i64, &device).unwrap())])
        .collect();
    let folded = Model::<ActivationsFolded>::from_tensors(tensors.clone(), &device).unwrap();
    let apart = Model::<ActivationsApart>::from_tensors(tensors, &device).unwrap();
    let x = Tensor::randn(0f32, 2.0, (2, 3, 9, 9), &device).unwrap();
    let steps = folded.profile(vec![x.clone()]).unwrap();
    let folded_steps: Vec<&str> = steps
        .iter()
        .filter(|step| step.folded)
        .map(|step| if step.path.is_empty() { step.op } else { step.path })
        .collect();
    assert_eq!(folded_steps, ["bn", "act", "activation", "activation", "activation", "activation"]);
    let steps = apart.profile(vec![x.clone()]).unwrap();
    assert_eq!(steps.iter().filter(|step| step.folded).map(|step| step.path).collect::<Vec<_>>(), ["bn"]);
    let y = folded.forward_raw(vec![x.clone()]).unwrap().remove(0);
    let expected = apart.forward_raw(vec![x]).unwrap().remove(0);
    assert_eq!(y.dims(), [2, 3, 17]);
    let difference: f32 = (y - expected).unwrap().abs().unwrap().max_all().unwrap().to_scalar().unwrap();
    assert!(difference < 1e-6, "{difference}");
}

#[test]
fn activations_folded_into_linear_layers_and_sums_compute_what_they_would_apart() {
    let device = device();
    let folded = Model::<ResidualFolded>::init(5, &device).unwrap();
    let tensors = folded.tensors().map(|(key, tensor)| (key.to_owned(), tensor.clone()));
    let apart = Model::<ResidualApart>::from_tensors(tensors, &device).unwrap();
    let x = Tensor::randn(0f32, 1.0, (3, 4, 6), &device).unwrap();
    let folded_steps = |steps: Vec<netshape::runtime::StepTime>| steps.iter().filter(|step| step.folded).count();
    assert_eq!(folded_steps(folded.profile(vec![x.clone()]).unwrap()), 2);
    assert_eq!(folded_steps(apart.profile(vec![x.clone()]).unwrap()), 0);
    let y = folded.forward_raw(vec![x.clone()]).unwrap().remove(0);
    let expected = apart.forward_raw(vec![x]).unwrap().remove(0);
    let values: Vec<f32> = y.flatten_all().unwrap().to_vec1().unwrap();
    assert!(values.contains(&0.0) && values.iter().any(|&value| value > 0.0));
    let difference: f32 = (y - expected).unwrap().abs().unwrap().max_all().unwrap().to_scalar().unwrap();
    assert!(difference < 1e-6, "{difference}");
}
