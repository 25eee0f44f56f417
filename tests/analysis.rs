//! Figures beyond torchsummary's, against independent numbers: receptive
//! fields (the published values for VGG16 and the ResNet stem), mult-adds
//! (VGG16's published totals; torchinfo's and fvcore's counts for the others,
//! see `fixtures/macs/`).

use netshape::{Layer, ReceptiveField};

#[allow(dead_code)]
#[path = "../examples/resnet18.rs"]
mod resnet18;
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
