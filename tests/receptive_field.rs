//! Receptive fields against PyTorch's own autograd (`fixtures/receptive_field/`,
//! measured by `make_receptive_field.py`): every case's network is written
//! here exactly as the script builds it in PyTorch, and the receptive field
//! netshape computes for its last layer must be the measured one, along the
//! height and the width.
//!
//! The fixture backpropagates each output unit to the input of an all-ones
//! network and reads which rows it depends on, keeping the units whose field
//! the border does not clip. Where every kept unit's centre lies on one line
//! (`exact`), size, jump and start must be equal as `f64`s; where the fields
//! alternate (transposed convs, upsampling), the fixture's jump and start are
//! means over whole periods, and must agree to rounding.
//!
//! Max pools are measured in PyTorch as average pools of the same geometry
//! (a max pool's gradient reaches only its arg-max); they are written here as
//! the max pools they stand for.

use netshape::{network, Layer, ReceptiveField};
use serde_json::Value;

network! {
    /// `dilated_stack`: 3 × 3 convs with dilation 1, 2, 4, padded to keep the size.
    pub struct DilatedStack {
        input: [2, 48, 48],
        Conv2d(2, 2, 3, padding = 1),
        Conv2d(2, 2, 3, padding = 2, dilation = 2),
        Conv2d(2, 2, 3, padding = 4, dilation = 4),
    }

    /// `resnet_stem`: torchvision's ResNet stem without its batch norm.
    pub struct ResnetStem {
        input: [3, 48, 48],
        conv1: Conv2d(3, 8, kernel_size = 7, stride = 2, padding = 3, bias = false),
        relu: ReLU(),
        maxpool: MaxPool2d(kernel_size = 3, stride = 2, padding = 1),
    }

    /// `vgg_like`: two VGG stages of two 3 × 3 convs and a 2 × 2 max pool.
    pub struct VggLike {
        input: [3, 48, 48],
        Conv2d(3, 4, 3, padding = 1),
        ReLU(),
        Conv2d(4, 4, 3, padding = 1),
        ReLU(),
        MaxPool2d(2),
        Conv2d(4, 8, 3, padding = 1),
        ReLU(),
        Conv2d(8, 8, 3, padding = 1),
        ReLU(),
        MaxPool2d(2),
    }

    /// `stride2_then_dilated`: a dilated conv on a stride-2 grid (its field has holes).
    pub struct Stride2ThenDilated {
        input: [3, 48, 48],
        Conv2d(3, 4, 3, stride = 2, padding = 1),
        Conv2d(4, 4, 3, padding = 2, dilation = 2),
    }

    /// `avg_pool_padded`.
    pub struct AvgPoolPadded {
        input: [2, 32, 32],
        AvgPool2d(3, stride = 2, padding = 1, count_include_pad = true),
    }

    /// `avg_pool_padded_exclude_pad`.
    pub struct AvgPoolPaddedExcludePad {
        input: [2, 32, 32],
        Conv2d(2, 2, 3, padding = 1),
        AvgPool2d(5, stride = 2, padding = 2, count_include_pad = false),
    }

    /// `conv_transpose_k4_s2_p1`: down by 2, then up by 2 (the DCGAN/U-Net kernel).
    pub struct ConvTransposeK4S2P1 {
        input: [2, 32, 32],
        Conv2d(2, 4, 3, stride = 2, padding = 1),
        ConvTranspose2d(4, 2, 4, stride = 2, padding = 1),
    }

    /// `conv_transpose_k3_s2`: a kernel that the stride does not divide.
    pub struct ConvTransposeK3S2 {
        input: [2, 32, 32],
        Conv2d(2, 4, 3, stride = 2, padding = 1),
        ConvTranspose2d(4, 2, 3, stride = 2),
    }

    /// `upsample_nearest`.
    pub struct UpsampleNearest {
        input: [2, 32, 32],
        Conv2d(2, 4, 3, stride = 2, padding = 1),
        Upsample(scale_factor = 2, mode = "nearest"),
    }

    /// `upsample_bilinear`.
    pub struct UpsampleBilinear {
        input: [2, 32, 32],
        Conv2d(2, 4, 3, stride = 2, padding = 1),
        Upsample(scale_factor = 2, mode = "bilinear", align_corners = false),
    }

    /// `adaptive_avg_pool_16_to_4`.
    pub struct AdaptiveAvgPool16To4 {
        input: [2, 16, 16],
        AdaptiveAvgPool2d(4),
    }

    /// `adaptive_avg_pool_10_to_3`: windows [0, 4), [3, 7), [6, 10).
    pub struct AdaptiveAvgPool10To3 {
        input: [2, 10, 10],
        AdaptiveAvgPool2d(3),
    }

    /// `zero_pad_then_conv`: padding left 1, right 2, top 3, bottom 0.
    pub struct ZeroPadThenConv {
        input: [2, 32, 32],
        ZeroPad2d((1, 2, 3, 0)),
        Conv2d(2, 2, 3),
    }

    /// `functional_pad_then_conv`.
    pub struct FunctionalPadThenConv {
        input: [2, 32, 32],
        pad((2, 2, 2, 2)),
        // Its last window stops short of the last row, which is `pad`'s zero padding.
        #[allow(netshape::uncovered_input)]
        Conv2d(2, 2, 5, stride = 2),
    }

    /// `non_square`: a (3, 5) kernel with stride (1, 2).
    pub struct NonSquare {
        input: [2, 32, 32],
        Conv2d(2, 4, (3, 5), stride = (1, 2), padding = (1, 2)),
        Conv2d(4, 4, 3, padding = 1),
    }

    /// `branches_add`: a 3 × 3 path plus a 5 × 5 path.
    pub struct BranchesAdd {
        input: [2, 32, 32],
        add(
            [Conv2d(2, 4, 3, padding = 1)],
            [Conv2d(2, 4, 5, padding = 2)],
        ),
    }

    /// `branches_cat`: the same paths concatenated along the channels.
    pub struct BranchesCat {
        input: [2, 32, 32],
        cat(
            [Conv2d(2, 4, 3, padding = 1)],
            [Conv2d(2, 4, 5, padding = 2)],
            dim = 1,
        ),
    }

    /// `residual_block`: ResNet's basic block without its batch norms.
    pub struct ResidualBlock {
        input: [4, 32, 32],
        add(
            [
                Conv2d(4, 4, 3, padding = 1),
                ReLU(),
                Conv2d(4, 4, 3, padding = 1),
            ],
            [],
        ),
        relu(),
    }

    /// `conv_same_even_kernel`: PyTorch pads 1 row before and 2 after.
    pub struct ConvSameEvenKernel {
        input: [2, 32, 32],
        Conv2d(2, 2, 4, padding = "same"),
    }

    /// `max_pool_dilated`.
    pub struct MaxPoolDilated {
        input: [2, 32, 32],
        MaxPool2d(3, stride = 1, padding = 1, dilation = 2),
    }

    /// `max_pool_ceil_mode`: the last window hangs over the end.
    pub struct MaxPoolCeilMode {
        input: [2, 34, 34],
        Conv2d(2, 2, 3),
        MaxPool2d(3, stride = 2, ceil_mode = true),
    }

    /// `upsample_bicubic`.
    pub struct UpsampleBicubic {
        input: [2, 32, 32],
        Conv2d(2, 4, 3, stride = 2, padding = 1),
        Upsample(scale_factor = 2, mode = "bicubic", align_corners = false),
    }

    /// `upsample_nearest_x1_5`: unit o reads input ⌊o / 1.5⌋.
    pub struct UpsampleNearestX1_5 {
        input: [2, 16, 16],
        Upsample(scale_factor = 1.5, mode = "nearest"),
    }

    /// `upsample_bilinear_align_corners`: unit o samples input o · 15 / 31.
    pub struct UpsampleBilinearAlignCorners {
        input: [2, 16, 16],
        UpsamplingBilinear2d(scale_factor = 2),
    }

    /// `adaptive_avg_pool_10_to_4`: windows [0, 3), [2, 5), [5, 8), [7, 10).
    pub struct AdaptiveAvgPool10To4 {
        input: [2, 10, 10],
        AdaptiveAvgPool2d(4),
    }
}

/// The fixture's case `id`.
fn case(id: &str) -> Value {
    let fixture: Value = serde_json::from_str(include_str!("fixtures/receptive_field/receptive_field.json"))
        .expect("the receptive-field fixture");
    let cases = fixture["cases"].as_array().expect("cases");
    cases.iter().find(|case| case["id"] == id).unwrap_or_else(|| panic!("no case {id} in the fixture")).clone()
}

/// An exact fraction `"p/q"` as the nearest `f64`, as netshape's arithmetic
/// produces it.
fn fraction(text: &Value) -> f64 {
    let text = text.as_str().expect("a fraction");
    let (numerator, denominator) = text.split_once('/').expect("p/q");
    numerator.parse::<f64>().expect("p") / denominator.parse::<f64>().expect("q")
}

/// The last step of `layers` that has a receptive field.
fn final_field<'a>(layers: &'a [Layer<'a>]) -> &'a [ReceptiveField] {
    layers.iter().rev().map(|layer| layer.receptive_field).find(|field| !field.is_empty()).expect("a spatial layer")
}

/// netshape's field along one axis against the measured one.
fn check_axis(id: &str, axis: &str, netshape: ReceptiveField, measured: &Value) {
    let size = measured["size"].as_f64().expect("a size");
    let jump = fraction(&measured["fractions"]["jump"]);
    let start = fraction(&measured["fractions"]["start"]);
    let exact = measured["exact"].as_bool().expect("exact");
    let expected = ReceptiveField { size, jump, start };
    let context = format!(
        "{id}, {axis}: netshape computes {netshape}, PyTorch's gradients give {expected}{}",
        if exact { "" } else { " (means over whole periods: the fields alternate)" }
    );
    if exact {
        assert_eq!(netshape, expected, "{context}");
    } else {
        assert_eq!(netshape.size, size, "{context}");
        let close = |a: f64, b: f64| (a - b).abs() <= 1e-12 * a.abs().max(b.abs()).max(1.0);
        assert!(close(netshape.jump, jump) && close(netshape.start, start), "{context}");
    }
}

/// The case's last layer against the fixture, along the height and the width
/// (the height's values when the fixture gives the width no values of its own).
fn check(id: &str, layers: &[Layer], input: &[usize]) {
    let measured = case(id);
    let shape: Vec<usize> =
        measured["input"].as_array().expect("input").iter().map(|dim| dim.as_u64().expect("a dim") as usize).collect();
    assert_eq!(shape, input, "{id}: the network's input is the fixture's");
    let output: Vec<usize> = measured["output"]
        .as_array()
        .expect("output")
        .iter()
        .map(|dim| dim.as_u64().expect("a dim") as usize)
        .collect();
    assert_eq!(layers.last().expect("a layer").output, output, "{id}: the network's output is PyTorch's");
    let field = final_field(layers);
    assert_eq!(field.len(), 2, "{id}: two spatial axes");
    let height = &measured["height"];
    let width = if measured["width"].is_null() { height } else { &measured["width"] };
    check_axis(id, "height", field[0], height);
    check_axis(id, "width", field[1], width);
}

macro_rules! cases {
    ($($test:ident: $net:ident,)*) => {
        $(
            #[test]
            fn $test() {
                check(stringify!($test), $net::LAYERS, &$net::INPUT_SHAPE);
            }
        )*

        /// Every case of the fixture is checked above, and no other.
        #[test]
        fn every_fixture_case_is_checked() {
            let fixture: Value =
                serde_json::from_str(include_str!("fixtures/receptive_field/receptive_field.json")).expect("the fixture");
            let mut ids: Vec<&str> =
                fixture["cases"].as_array().expect("cases").iter().map(|case| case["id"].as_str().expect("an id")).collect();
            let mut tested = vec![$(stringify!($test)),*];
            ids.sort_unstable();
            tested.sort_unstable();
            assert_eq!(ids, tested);
        }
    };
}

cases! {
    dilated_stack: DilatedStack,
    resnet_stem: ResnetStem,
    vgg_like: VggLike,
    stride2_then_dilated: Stride2ThenDilated,
    avg_pool_padded: AvgPoolPadded,
    avg_pool_padded_exclude_pad: AvgPoolPaddedExcludePad,
    conv_transpose_k4_s2_p1: ConvTransposeK4S2P1,
    conv_transpose_k3_s2: ConvTransposeK3S2,
    upsample_nearest: UpsampleNearest,
    upsample_bilinear: UpsampleBilinear,
    adaptive_avg_pool_16_to_4: AdaptiveAvgPool16To4,
    adaptive_avg_pool_10_to_3: AdaptiveAvgPool10To3,
    zero_pad_then_conv: ZeroPadThenConv,
    functional_pad_then_conv: FunctionalPadThenConv,
    non_square: NonSquare,
    branches_add: BranchesAdd,
    branches_cat: BranchesCat,
    residual_block: ResidualBlock,
    conv_same_even_kernel: ConvSameEvenKernel,
    max_pool_dilated: MaxPoolDilated,
    max_pool_ceil_mode: MaxPoolCeilMode,
    upsample_bicubic: UpsampleBicubic,
    upsample_nearest_x1_5: UpsampleNearestX1_5,
    upsample_bilinear_align_corners: UpsampleBilinearAlignCorners,
    adaptive_avg_pool_10_to_4: AdaptiveAvgPool10To4,
}

/// The stem's max pool, by name: Araujo et al.'s r = 11, j = 4.
#[test]
fn resnet_stem_by_name() {
    let maxpool = ResnetStem::LAYERS.iter().find(|layer| layer.name == "maxpool").expect("the pool");
    assert_eq!(maxpool.receptive_field, [ReceptiveField { size: 11.0, jump: 4.0, start: 0.5 }; 2]);
}
