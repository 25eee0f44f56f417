//! torchvision's models, transcribed in `examples/`, against torchvision
//! itself: every `state_dict` key and shape, the total and trainable
//! parameters and the buffers, and every module call in the order a forward
//! hook sees it (torchsummary's rows) with its output shape and own parameters.
//!
//! References: `fixtures/zoo/` (the shared torchsummary tables and leaf rows)
//! and `fixtures/torchvision/` (made with torchvision 0.14 by
//! `fixtures/torchvision/make_torchvision.py`; see its README).

use netshape::{Layer, StateEntry};
use serde_json::Value as Json;

#[path = "common/torchvision.rs"]
mod torchvision;
use torchvision::*;

/// What a transcription computed.
struct Model {
    summary: String,
    layers: &'static [Layer<'static>],
    state_dict: &'static [StateEntry<'static>],
    total: usize,
    trainable: usize,
    buffers: usize,
}

macro_rules! model {
    ($net:ty) => {
        Model {
            summary: <$net>::SUMMARY.to_string(),
            layers: <$net>::LAYERS,
            state_dict: <$net>::STATE_DICT,
            total: <$net>::TOTAL_PARAMS,
            trainable: <$net>::TRAINABLE_PARAMS,
            buffers: <$net>::BUFFERS,
        }
    };
}

fn dims(value: &Json) -> Vec<usize> {
    value.as_array().expect("a shape").iter().map(|dim| dim.as_u64().expect("a size") as usize).collect()
}

fn count(value: &Json) -> usize {
    value.as_u64().expect("a count") as usize
}

/// (class, path, output, own parameters) of every row, in call order.
type Rows = Vec<(String, String, Vec<usize>, usize)>;

fn reference_rows(reference: &Json) -> Rows {
    reference["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|row| {
            let class = row["class"].as_str().expect("class").to_owned();
            (class, row["path"].as_str().expect("path").to_owned(), dims(&row["output"]), count(&row["params"]))
        })
        .collect()
}

fn module_rows(model: &Model) -> Rows {
    model
        .layers
        .iter()
        .filter(|layer| !layer.functional && !layer.container)
        .map(|layer| (layer.kind.to_owned(), layer.name.to_owned(), layer.output.to_vec(), layer.params))
        .collect()
}

/// Compares a transcription with torchvision's reference for the same model.
fn assert_matches(model: &Model, reference: &str) {
    let reference: Json = serde_json::from_str(reference).expect("a JSON reference");
    let name = reference["model"].as_str().expect("model");
    assert_eq!(model.total, count(&reference["params"]), "{name}: total parameters");
    assert_eq!(model.trainable, count(&reference["trainable"]), "{name}: trainable parameters");
    assert_eq!(model.buffers, count(&reference["buffers"]), "{name}: buffers");
    let keys: Vec<(String, Vec<usize>)> =
        model.state_dict.iter().map(|entry| (entry.key.to_owned(), entry.shape.to_vec())).collect();
    let expected: Vec<(String, Vec<usize>)> = reference["state_dict"]
        .as_array()
        .expect("state_dict")
        .iter()
        .map(|pair| (pair[0].as_str().expect("key").to_owned(), dims(&pair[1])))
        .collect();
    assert_eq!(keys, expected, "{name}: state_dict keys and shapes");
    let rows = module_rows(model);
    let expected = reference_rows(&reference);
    for (index, (row, wanted)) in rows.iter().zip(&expected).enumerate() {
        assert_eq!(row, wanted, "{name}: row {}", index + 1);
    }
    assert_eq!(rows.len(), expected.len(), "{name}: number of rows");
    // Where torchsummary itself ran, its table; where it crashed, netshape's
    // table shows the rows just compared.
    if let Some(table) = reference["torchsummary"].as_str() {
        assert_eq!(model.summary, table, "{name}: torchsummary's table");
    }
}

/// The shared zoo fixtures list leaf modules only.
fn assert_leaf_rows(model: &Model, reference: &str) {
    let reference: Json = serde_json::from_str(reference).expect("a JSON reference");
    let rows = module_rows(model);
    let leaves: Rows = rows
        .iter()
        .filter(|(_, path, _, _)| !rows.iter().any(|(_, other, _, _)| other.starts_with(&format!("{path}."))))
        .cloned()
        .collect();
    assert_eq!(leaves, reference_rows(&reference));
    assert_eq!(model.total, count(&reference["params"]));
    assert_eq!(model.buffers, count(&reference["buffers"]));
}

#[test]
fn vgg16() {
    let model = model!(vgg16::Vgg16);
    assert_leaf_rows(&model, include_str!("fixtures/zoo/vgg16.json"));
    assert_matches(&model, include_str!("fixtures/torchvision/vgg16.json"));
    assert_eq!(vgg16::Vgg16::SUMMARY.to_string(), include_str!("fixtures/zoo/vgg16.torchsummary.txt"));
}

#[test]
fn resnet18() {
    let model = model!(resnet18::ResNet18);
    assert_leaf_rows(&model, include_str!("fixtures/zoo/resnet18.json"));
    assert_matches(&model, include_str!("fixtures/torchvision/resnet18.json"));
    assert_eq!(resnet18::ResNet18::SUMMARY.to_string(), include_str!("fixtures/zoo/resnet18.torchsummary.txt"));
}

#[test]
fn mobilenet_v2() {
    let model = model!(mobilenet_v2::MobileNetV2);
    assert_leaf_rows(&model, include_str!("fixtures/zoo/mobilenet_v2.json"));
    assert_matches(&model, include_str!("fixtures/torchvision/mobilenet_v2.json"));
    assert_eq!(
        mobilenet_v2::MobileNetV2::SUMMARY.to_string(),
        include_str!("fixtures/zoo/mobilenet_v2.torchsummary.txt")
    );
}

#[test]
fn densenet121() {
    assert_matches(&model!(densenet121::DenseNet121), include_str!("fixtures/torchvision/densenet121.json"));
}

#[test]
fn efficientnet_b0() {
    assert_matches(&model!(efficientnet_b0::EfficientNetB0), include_str!("fixtures/torchvision/efficientnet_b0.json"));
}

#[test]
fn alexnet() {
    assert_matches(&model!(alexnet::AlexNet), include_str!("fixtures/torchvision/alexnet.json"));
}

#[test]
fn vgg11_bn() {
    assert_matches(&model!(vgg11_bn::Vgg11Bn), include_str!("fixtures/torchvision/vgg11_bn.json"));
}

#[test]
fn squeezenet1_0() {
    assert_matches(&model!(squeezenet1_0::SqueezeNet), include_str!("fixtures/torchvision/squeezenet1_0.json"));
}

#[test]
fn googlenet() {
    assert_matches(&model!(googlenet::GoogLeNet), include_str!("fixtures/torchvision/googlenet.json"));
}

#[test]
fn resnet50() {
    assert_matches(&model!(resnet50::ResNet50), include_str!("fixtures/torchvision/resnet50.json"));
}

#[test]
fn resnet152() {
    assert_matches(&model!(resnet152::ResNet152), include_str!("fixtures/torchvision/resnet152.json"));
}

#[test]
fn inception_v3() {
    assert_matches(&model!(inception_v3::Inception3), include_str!("fixtures/torchvision/inception_v3.json"));
}

#[test]
fn shufflenet_v2_x1_0() {
    assert_matches(
        &model!(shufflenet_v2_x1_0::ShuffleNetV2),
        include_str!("fixtures/torchvision/shufflenet_v2_x1_0.json"),
    );
}

#[test]
fn mnasnet1_0() {
    assert_matches(&model!(mnasnet1_0::MNASNet), include_str!("fixtures/torchvision/mnasnet1_0.json"));
}

#[test]
fn r3d_18() {
    assert_matches(&model!(r3d_18::R3d18), include_str!("fixtures/torchvision/r3d_18.json"));
}

#[test]
fn convnext_tiny() {
    assert_matches(&model!(convnext_tiny::ConvNeXtTiny), include_str!("fixtures/torchvision/convnext_tiny.json"));
}

#[test]
fn vit_b_16() {
    assert_matches(&model!(vit_b_16::VitB16), include_str!("fixtures/torchvision/vit_b_16.json"));
}
