//! torchvision's `mobilenet_v2` at 224×224. `cargo run --example mobilenet_v2`
//! prints torchsummary's table for it.

use netshape::network;

network! {
    /// torchvision's `InvertedResidual`: expand (unless the ratio is 1),
    /// depthwise convolve, project; a shortcut when the shape is kept.
    pub block InvertedResidual(inp, oup, stride, expand_ratio) {
        const hidden = inp * expand_ratio,
        let out = conv: Sequential(
            #[class = "Conv2dNormActivation"]
            Sequential(
                Conv2d(inp, hidden, 1, bias = false),
                BatchNorm2d(hidden),
                ReLU6(inplace = true),
            ) if expand_ratio != 1,
            #[class = "Conv2dNormActivation"]
            Sequential(
                Conv2d(hidden, hidden, 3, stride = stride, padding = 1, groups = hidden, bias = false),
                BatchNorm2d(hidden),
                ReLU6(inplace = true),
            ),
            Conv2d(hidden, oup, 1, bias = false),
            BatchNorm2d(oup),
        ),
        if stride == 1 && inp == oup { add(input, out) } else { out },
    }

    /// MobileNetV2 (width 1.0): seven stages of inverted residuals.
    // Its last units see past the image's edges, as a classifier's do by design.
    #[allow(netshape::receptive_field_exceeds_input)]
    pub struct MobileNetV2 {
        input: [3, 224, 224],
        features: [
            #[class = "Conv2dNormActivation"]
            Sequential(Conv2d(3, 32, 3, stride = 2, padding = 1, bias = false), BatchNorm2d(32), ReLU6(inplace = true)),
            InvertedResidual(32, 16, 1, 1),
            InvertedResidual(16, 24, 2, 6),
            InvertedResidual(24, 24, 1, 6),
            InvertedResidual(24, 32, 2, 6),
            for _ in 0..2 { InvertedResidual(32, 32, 1, 6) }
            InvertedResidual(32, 64, 2, 6),
            for _ in 0..3 { InvertedResidual(64, 64, 1, 6) }
            InvertedResidual(64, 96, 1, 6),
            for _ in 0..2 { InvertedResidual(96, 96, 1, 6) }
            InvertedResidual(96, 160, 2, 6),
            for _ in 0..2 { InvertedResidual(160, 160, 1, 6) }
            InvertedResidual(160, 320, 1, 6),
            #[class = "Conv2dNormActivation"]
            Sequential(Conv2d(320, 1280, 1, bias = false), BatchNorm2d(1280), ReLU6(inplace = true)),
        ],
        adaptive_avg_pool2d((1, 1)),
        flatten(1),
        classifier: [Dropout(p = 0.2), Linear(1280, 1000)],
    }
}

const _: () = assert!(MobileNetV2::TOTAL_PARAMS == 3_504_872);

fn main() {
    print!("{}", MobileNetV2::SUMMARY);
}
