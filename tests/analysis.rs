//! Figures beyond torchsummary's, against independent numbers: receptive
//! fields (the published values for VGG16 and the ResNet stem), mult-adds
//! (VGG16's published totals; torchinfo's and fvcore's counts for the others,
//! see `fixtures/macs/`).

use netshape::{Dtype, Layer, ReceptiveField};

#[allow(dead_code)]
#[path = "../examples/mobilenet_v2.rs"]
mod mobilenet_v2;
#[allow(dead_code)]
#[path = "../examples/resnet18.rs"]
mod resnet18;
#[allow(dead_code)]
#[path = "../examples/resnet50.rs"]
mod resnet50;
#[allow(dead_code)]
#[path = "../examples/vgg16.rs"]
mod vgg16;

fn layer<'a>(layers: &'a [Layer<'a>], name: &str) -> &'a Layer<'a> {
    layers.iter().find(|layer| layer.name == name).unwrap_or_else(|| panic!("no layer {name}"))
}

#[test]
fn vgg16_features_receptive_field() {
    // torchvision's vgg16 `features` ends at `features.30`, its last max pool:
    // each unit sees 212 × 212 pixels, 32 pixels apart (Araujo et al., 2019).
    let features = layer(vgg16::Vgg16::LAYERS, "features");
    assert_eq!(features.receptive_field, [ReceptiveField { size: 212.0, jump: 32.0, start: 16.0 }; 2]);
    assert_eq!(layer(vgg16::Vgg16::LAYERS, "features.30").receptive_field, features.receptive_field);
    // The network's: the adaptive pool to 7×7 keeps 7×7 of features' 7×7
    // units, so nothing changes before `flatten` drops the spatial axes.
    assert_eq!(vgg16::Vgg16::SUMMARY.receptive_field(), features.receptive_field);
}

#[test]
fn functional_ops_sit_at_their_scopes_depth() {
    // The residual `add` of `layer1.0`, a block inside a Sequential, sits
    // beside the block's own modules.
    let layers = resnet18::ResNet18::LAYERS;
    let add = layers.iter().position(|layer| layer.kind == "add").expect("an add");
    assert_eq!(layers[add].depth, layer(layers, "layer1.0.conv1").depth);
    assert_eq!(layers[add].depth, 2);
    // `flatten` is the network's own step.
    assert_eq!(layers.iter().find(|layer| layer.kind == "flatten").map(|layer| layer.depth), Some(0));
}

#[test]
fn resnet_stem_receptive_field() {
    // conv 7/s2/p3 then max pool 3/s2/p1: r = 11, j = 4.
    let maxpool = layer(resnet18::ResNet18::LAYERS, "maxpool");
    assert_eq!(maxpool.receptive_field, [ReceptiveField { size: 11.0, jump: 4.0, start: 0.5 }; 2]);
}

#[test]
fn vgg16_mult_adds() {
    let weights: u64 = vgg16::Vgg16::LAYERS.iter().map(|layer| layer.mult_adds).sum();
    let biases: u64 = vgg16::Vgg16::LAYERS.iter().map(|layer| layer.bias_adds).sum();
    assert_eq!(weights, 15_470_264_320);
    assert_eq!(weights + biases, 15_483_821_032);
}

/// Mult-adds of the weights and of the biases, summed over every step.
fn mult_adds(layers: &[Layer]) -> (u64, u64) {
    (layers.iter().map(|layer| layer.mult_adds).sum(), layers.iter().map(|layer| layer.bias_adds).sum())
}

/// The batch norms' parameters, which torchinfo adds to its mult-adds once each.
fn batch_norm_params(layers: &[Layer]) -> u64 {
    layers.iter().filter(|layer| layer.kind.starts_with("BatchNorm")).map(|layer| layer.params as u64).sum()
}

/// netshape's totals against two other tools (`fixtures/macs/`, made with
/// torchvision 0.14 by `make_macs.py`): fvcore counts the weights of convs and
/// linear layers without their biases, which is netshape's `mult_adds`;
/// torchinfo 1.8.0 counts them with the biases, plus each batch norm's
/// parameters once.
#[test]
fn mult_adds_agree_with_fvcore_and_torchinfo() {
    let reference: serde_json::Value =
        serde_json::from_str(include_str!("fixtures/macs/macs.json")).expect("the mult-adds fixture");
    let models: [(&str, &[Layer]); 4] = [
        ("vgg16", vgg16::Vgg16::LAYERS),
        ("resnet18", resnet18::ResNet18::LAYERS),
        ("resnet50", resnet50::ResNet50::LAYERS),
        ("mobilenet_v2", mobilenet_v2::MobileNetV2::LAYERS),
    ];
    for (name, layers) in models {
        let model = &reference["models"][name];
        let count = |value: &serde_json::Value| value.as_u64().unwrap_or_else(|| panic!("{name}: a count"));
        let fvcore = count(&model["fvcore_by_operator"]["conv"]) + count(&model["fvcore_by_operator"]["linear"]);
        let torchinfo = count(&model["torchinfo_total_mult_adds"]);
        let (weights, biases) = mult_adds(layers);
        assert_eq!(weights, fvcore, "{name}: weights' mult-adds against fvcore");
        assert_eq!(weights + biases + batch_norm_params(layers), torchinfo, "{name}: against torchinfo");
    }
}

netshape::network! {
    /// `make_memory.py`'s `stack(False)`.
    pub struct Stack {
        input: [3, 32, 32],
        Conv2d(3, 8, 3, padding = 1),
        ReLU(),
        Conv2d(8, 16, 3, stride = 2, padding = 1),
        ReLU(),
        AvgPool2d(2),
        Flatten(),
        Linear(16 * 8 * 8, 10),
        ReLU(),
    }

    /// `make_memory.py`'s `stack(True)`.
    pub struct StackInplace {
        input: [3, 32, 32],
        Conv2d(3, 8, 3, padding = 1),
        ReLU(inplace = true),
        Conv2d(8, 16, 3, stride = 2, padding = 1),
        ReLU(inplace = true),
        AvgPool2d(2),
        Flatten(),
        Linear(16 * 8 * 8, 10),
        ReLU(inplace = true),
    }

    /// `make_memory.py`'s `Reused`: one linear layer called twice, and a
    /// reshape of a transposed view, which copies.
    pub struct ReusedLinear {
        input: [12],
        fc: Linear(12, 12),
        view(-1, 3, 4),
        transpose(1, 2),
        reshape(-1, 12),
        fc,
    }
}

/// netshape's activation memory against what PyTorch's own forward pass
/// writes (`fixtures/memory/`, measured by `make_memory.py` from the storages
/// every ATen op returns).
#[test]
fn activation_memory_matches_pytorchs_forward_pass() {
    let reference: serde_json::Value =
        serde_json::from_str(include_str!("fixtures/memory/memory.json")).expect("the memory fixture");
    let cases = reference["cases"].as_array().expect("cases");
    assert_eq!(cases.len(), 6);
    for case in cases {
        let name = case["case"].as_str().expect("a case");
        let batch = case["batch"].as_u64().expect("a batch") as usize;
        let summary = match name {
            "relu" => Stack::SUMMARY,
            "relu_inplace" => StackInplace::SUMMARY,
            "reused_linear" => ReusedLinear::SUMMARY,
            other => panic!("unknown case {other}"),
        };
        let measured = case["activation_bytes"].as_u64().expect("bytes") as usize;
        assert_eq!(summary.memory(batch, Dtype::F32).activations, measured, "{name}, batch {batch}");
    }
}

/// The seed's point: in-place ReLUs write nothing new. Three ReLU outputs of
/// 8·32·32 + 16·16·16 + 10 floats per sample are saved, and nothing else
/// changes.
#[test]
fn inplace_relu_saves_exactly_its_outputs() {
    for dtype in Dtype::ALL {
        let (plain, inplace) = (Stack::SUMMARY.memory(16, dtype), StackInplace::SUMMARY.memory(16, dtype));
        assert_eq!(plain.activations - inplace.activations, 16 * (8 * 32 * 32 + 16 * 16 * 16 + 10) * dtype.bytes());
        assert_eq!(plain.total() - inplace.total(), plain.activations - inplace.activations);
        assert_eq!((plain.parameters, plain.input), (inplace.parameters, inplace.input));
    }
    // torchsummary counts every ReLU's output anyway.
    assert_eq!(Stack::SUMMARY.to_string(), StackInplace::SUMMARY.to_string().replace("StackInplace", "Stack"));
}

/// Parameters once per module, activations once per call, buffers apart.
#[test]
fn memory_counts_parameters_once_and_calls_each_time() {
    let memory = ReusedLinear::SUMMARY.memory(1, Dtype::F64);
    assert_eq!(memory.parameters, (12 * 12 + 12) * 8);
    assert_eq!(memory.gradients, memory.parameters);
    // Both calls' outputs, and the copy the reshape makes.
    assert_eq!(memory.activations, 3 * 12 * 8);
    // torchsummary counts the layer twice.
    assert_eq!(ReusedLinear::SUMMARY.total_params(), 2 * (12 * 12 + 12));
    let resnet = resnet18::ResNet18::SUMMARY.memory(1, Dtype::F32);
    // 20 batch norms' running means and variances, and their counters.
    let norms: usize = [64, 64, 64, 64, 64, 128, 128, 128, 128, 128, 256, 256, 256, 256, 256, 512, 512, 512, 512, 512]
        .iter()
        .map(|channels| 2 * channels + 1)
        .sum();
    assert_eq!(resnet.buffers, norms * 4);
    assert_eq!(resnet.parameters, 11_689_512 * 4);
    assert_eq!(resnet.input, 3 * 224 * 224 * 4);
}
