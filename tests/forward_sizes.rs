//! Networks whose input sizes vary, run as PyTorch runs them at three sizes
//! each (`fixtures/sizes/networks.rs`): a segmentation network over images
//! of any size whose sides are multiples of 8 (`[3, H, W]`), the same
//! network as an FCN resized to its input's shape (any size), a Transformer
//! encoder over sequences of any length (`[L, 32]`), and an LSTM language
//! model over token sequences of any length (`[L]`), on a batch of 2.
//!
//! One model per network serves every size, through `forward_raw`.
//! Parameters and inputs are the formulas of `fixtures/models/make_models.py`
//! (`common/filled.rs` here; see `fixtures/models/README.md`), so the fixture
//! holds only PyTorch's outputs, `NAME.SIZE.output.0`. Outputs must agree
//! within 1e-4 (absolute), and so must the top-1 class at every position (per
//! pixel for the segmentation network) wherever PyTorch's margin over the
//! runner-up leaves no room for the measured difference to flip it. A size
//! outside a network's `where` clause is an error value naming the symbol.
//!
//! Then a U-Net on the sizes where its skip connections line up, through the
//! typed API, and the consts and formulas of networks whose sizes vary.

use netshape::network;
use netshape::program::Runnable;
use netshape::runtime::{Device, Model, Tensor};

#[path = "common/filled.rs"]
mod filled;
use filled::*;

#[allow(dead_code)]
mod networks {
    include!("fixtures/sizes/networks.rs");
}

const FIXTURE: &str = "tests/fixtures/sizes/outputs.safetensors";

/// One input's sample shape (without the batch), and its vocabulary if it
/// holds token ids.
type Sample = (Vec<usize>, Option<usize>);

/// The fixture's inputs at explicit sizes: a batch of 2; input `j`'s element
/// `i` (row-major over the whole batch) is `hash_unit(1_000_000 + j, i)`, or
/// the token `hash_u64(2_000_000 + j, i) mod vocab`.
fn inputs_at(samples: &[Sample]) -> Vec<Tensor> {
    samples
        .iter()
        .enumerate()
        .map(|(j, (sample, vocab))| {
            let mut shape = vec![2];
            shape.extend_from_slice(sample);
            let count = shape.iter().product::<usize>() as u64;
            let j = j as u64;
            match vocab {
                Some(vocab) => {
                    let data: Vec<i64> =
                        (0..count).map(|i| (hash_u64(2_000_000 + j, i) % *vocab as u64) as i64).collect();
                    Tensor::from_vec(data, shape, &Device::Cpu).unwrap()
                }
                None => {
                    let data: Vec<f32> = (0..count).map(|i| hash_unit(1_000_000 + j, i) as f32).collect();
                    Tensor::from_vec(data, shape, &Device::Cpu).unwrap()
                }
            }
        })
        .collect()
}

/// At every position of `tensor` but along `dim`: the index of the largest
/// value (the first, as `argmax`), and how far the runner-up is below it.
fn top1(tensor: &Tensor, dim: usize) -> Vec<(usize, f32)> {
    let dims = tensor.dims().to_vec();
    let values: Vec<f32> = tensor.flatten_all().unwrap().to_vec1().unwrap();
    let (outer, classes) = (dims[..dim].iter().product::<usize>(), dims[dim]);
    let inner = dims[dim + 1..].iter().product::<usize>();
    let mut result = Vec::with_capacity(outer * inner);
    for o in 0..outer {
        for r in 0..inner {
            let (mut best, mut first, mut second) = (0, f32::NEG_INFINITY, f32::NEG_INFINITY);
            for c in 0..classes {
                let value = values[(o * classes + c) * inner + r];
                if value > first {
                    (best, first, second) = (c, value, first);
                } else if value > second {
                    second = value;
                }
            }
            result.push((best, first - second));
        }
    }
    result
}

/// Runs one model of `N` at every size and compares with PyTorch's outputs:
/// `sizes` holds each size's label (the fixture's `SIZE`) and its inputs;
/// `class_dim` is the dim (batch included) whose top-1 is compared.
fn check<N: Runnable>(name: &str, gain: f64, sizes: &[(&str, Vec<Sample>)], class_dim: usize) {
    let store = candle_core::safetensors::load(FIXTURE, &Device::Cpu).unwrap();
    let model = filled::<N>(gain);
    for (size, samples) in sizes {
        let outputs = model.forward_raw(inputs_at(samples)).unwrap_or_else(|error| panic!("{name} {size}: {error}"));
        assert_eq!(outputs.len(), 1, "{name} {size}: one output");
        let output = &outputs[0];
        let expected = &store[&format!("{name}.{size}.output.0")];
        assert_eq!(output.dims(), expected.dims(), "{name} {size}");
        let difference: f32 = (output - expected).unwrap().abs().unwrap().max_all().unwrap().to_scalar().unwrap();
        let scale: f32 = expected.abs().unwrap().max_all().unwrap().to_scalar().unwrap();
        // A position where PyTorch's top two are closer than twice the
        // difference may legitimately rank them the other way round.
        let ours = top1(output, class_dim);
        let theirs = top1(expected, class_dim);
        let close = theirs.iter().filter(|(_, margin)| *margin <= 2.0 * difference).count();
        println!(
            "{name} {size}: output {:?}, largest |logit| {scale:.3}, largest difference {difference:.2e}, \
             top-1 at {} positions ({close} too close to call)",
            output.dims(),
            theirs.len(),
        );
        assert!(difference <= 1e-4, "{name} {size}: differs from PyTorch's by {difference} (scale {scale})");
        for (position, ((our_class, _), (their_class, margin))) in ours.iter().zip(&theirs).enumerate() {
            if *margin > 2.0 * difference {
                assert_eq!(our_class, their_class, "{name} {size}: top-1 at position {position} (margin {margin})");
            }
        }
    }
}

#[test]
fn segmentation_at_three_image_sizes() {
    let image = |h: usize, w: usize| vec![(vec![3, h, w], None)];
    check::<networks::SegNet>(
        "seg_net",
        1.25,
        &[("64x64", image(64, 64)), ("96x128", image(96, 128)), ("136x80", image(136, 80))],
        1,
    );
}

#[test]
fn fcn_resized_to_its_input_at_three_image_sizes() {
    let image = |h: usize, w: usize| vec![(vec![3, h, w], None)];
    check::<networks::Fcn>(
        "fcn",
        1.25,
        &[("61x75", image(61, 75)), ("96x128", image(96, 128)), ("33x47", image(33, 47))],
        1,
    );
}

#[test]
fn transformer_encoder_at_three_lengths() {
    let sequence = |l: usize| vec![(vec![l, 32], None)];
    check::<networks::Encoder>("encoder", 1.0, &[("L1", sequence(1)), ("L7", sequence(7)), ("L33", sequence(33))], 2);
}

#[test]
fn lstm_language_model_at_three_lengths() {
    let tokens = |l: usize| vec![(vec![l], Some(50))];
    check::<networks::LstmLm>("lstm_lm", 1.0, &[("L1", tokens(1)), ("L9", tokens(9)), ("L40", tokens(40))], 2);
}

/// Whether `message` has `symbol` as a word of its own (not inside another).
fn names(message: &str, symbol: &str) -> bool {
    message.split(|c: char| !c.is_alphanumeric() && c != '_').any(|word| word == symbol)
}

#[test]
fn inadmissible_sizes_are_errors() {
    // H = 60 is in 16..=512 but not a multiple of 8.
    let error = filled::<networks::SegNet>(1.25)
        .forward_raw(inputs_at(&[(vec![3, 60, 64], None)]))
        .expect_err("SegNet at 60×64 (H % 8 != 0)");
    let message = error.to_string();
    println!("seg_net 60x64: {message}");
    assert!(names(&message, "H"), "the error names `H`: {message}");

    // W = 8 is a multiple of 8 but below the range.
    let error = filled::<networks::SegNet>(1.25)
        .forward_raw(inputs_at(&[(vec![3, 64, 8], None)]))
        .expect_err("SegNet at 64×8 (W < 16)");
    let message = error.to_string();
    println!("seg_net 64x8: {message}");
    assert!(names(&message, "W"), "the error names `W`: {message}");

    // L = 257 is past 1..=256.
    let error = filled::<networks::Encoder>(1.0)
        .forward_raw(inputs_at(&[(vec![257, 32], None)]))
        .expect_err("Encoder at L = 257");
    let message = error.to_string();
    println!("encoder L257: {message}");
    assert!(names(&message, "L"), "the error names `L`: {message}");

    // L = 513 is past 1..=512.
    let error = filled::<networks::LstmLm>(1.0)
        .forward_raw(inputs_at(&[(vec![513], Some(50))]))
        .expect_err("LstmLm at L = 513");
    let message = error.to_string();
    println!("lstm_lm L513: {message}");
    assert!(names(&message, "L"), "the error names `L`: {message}");
}

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
