//! Sizes that vary: a network declared over a range of input sizes is checked
//! for every one of them, shows its shapes as formulas, and runs at each.

use netshape::network;
use netshape::runtime::{Device, Model, Tensor};

network! {
    block Double(inp, out) {
        Conv2d(inp, out, 3, padding = 1), ReLU(), Conv2d(out, out, 3, padding = 1), ReLU(),
    }

    /// The U-Net of `tests/ui/sizes_unet_skip.rs`, on the sizes where its
    /// skip connections line up.
    pub struct UNet {
        input: [3, H = 64, W = 96] where H in 32..=512, H % 4 == 0, W in 32..=512, W % 4 == 0,
        let x1 = [inc: Double(3, 16)],
        x1,
        let x2 = [MaxPool2d(2), down1: Double(16, 32)],
        x2,
        MaxPool2d(2), down2: Double(32, 64),
        up2: ConvTranspose2d(64, 32, 2, stride = 2),
        cat(x2, [], dim = 1),
        conv2: Double(64, 32),
        up1: ConvTranspose2d(32, 16, 2, stride = 2),
        cat(x1, [], dim = 1),
        conv1: Double(32, 16),
        outc: Conv2d(16, 2, 1),
    }

    /// A stride-2 stem over any size: the formulas of torchvision's ResNet.
    pub struct Stem {
        input: [3, H = 224, W] where H in 1..=1024, W in 1..=1024,
        conv1: Conv2d(3, 8, 7, stride = 2, padding = 3),
        maxpool: MaxPool2d(3, stride = 2, padding = 1),
        pool: AdaptiveAvgPool2d((1, 1)),
    }
}

#[test]
fn consts_are_at_the_default_sizes() {
    assert_eq!(UNet::INPUT_SHAPE, [3, 64, 96]);
    assert_eq!(UNet::OUTPUT_SHAPE, [2, 64, 96]);
    // W has no default: its smallest size.
    assert_eq!(Stem::INPUT_SHAPE, [3, 224, 1]);
    assert_eq!(Stem::OUTPUT_SHAPE, [8, 1, 1]);
}

#[test]
fn layers_show_their_shapes_as_formulas() {
    let formulas: Vec<(&str, &str)> = Stem::LAYERS.iter().map(|layer| (layer.name, layer.output_formula)).collect();
    assert_eq!(
        formulas,
        [
            ("conv1", "[8, ⌊(H + 1)/2⌋, ⌊(W + 1)/2⌋]"),
            ("maxpool", "[8, ⌊(H + 3)/4⌋, ⌊(W + 3)/4⌋]"),
            // Fixed whatever the size: no formula.
            ("pool", ""),
        ]
    );
    let up = UNet::LAYERS.iter().find(|layer| layer.name == "up2").unwrap();
    assert_eq!(up.output_formula, "[32, ⌊H/2⌋, ⌊W/2⌋]");
}

#[test]
fn the_typed_input_takes_every_admissible_size() {
    let model = Model::<UNet>::init(0, &Device::Cpu).unwrap();
    for (height, width) in [(32, 32), (36, 100), (64, 96)] {
        let x = Tensor::ones((1, 3, height, width), candle_core::DType::F32, &Device::Cpu).unwrap();
        let input = model.input(vec![x]).unwrap();
        let output = model.forward(input).unwrap();
        assert_eq!(output.tensor().dims(), [1, 2, height, width]);
    }
    let odd = Tensor::ones((1, 3, 34, 32), candle_core::DType::F32, &Device::Cpu).unwrap();
    let error = model.input(vec![odd]).unwrap_err().to_string();
    assert_eq!(
        error,
        "input 0 has 34 at dim 2 (`H`) of its shape [1, 3, 34, 32], but the network takes H in 32..=512, H % 4 == 0"
    );
}
