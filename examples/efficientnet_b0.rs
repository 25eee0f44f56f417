//! torchvision's `efficientnet_b0` at 224×224: mobile inverted bottlenecks
//! with squeeze-and-excitation gates. `cargo run --example efficientnet_b0`
//! prints torchsummary's table for it.

use netshape::network;

network! {
    /// torchvision's `SqueezeExcitation`: channel weights from a pooled summary,
    /// multiplied back into the input.
    pub block SqueezeExcitation(input_channels, squeeze_channels) {
        mul(
            [
                avgpool: AdaptiveAvgPool2d(1),
                fc1: Conv2d(input_channels, squeeze_channels, 1),
                activation: SiLU(inplace = true),
                fc2: Conv2d(squeeze_channels, input_channels, 1),
                scale_activation: Sigmoid(),
            ],
            [],
        ),
    }

    /// torchvision's `MBConv`: expand, depthwise convolve, gate, project; with
    /// stochastic depth on the shortcut when the shape is kept.
    pub block MBConv(input_channels, out_channels, kernel, stride, expand_ratio, sd_prob) {
        const expanded = input_channels * expand_ratio,
        let result = block: Sequential(
            #[class = "Conv2dNormActivation"]
            Sequential(
                Conv2d(input_channels, expanded, 1, bias = false),
                BatchNorm2d(expanded),
                SiLU(inplace = true),
            ) if expanded != input_channels,
            #[class = "Conv2dNormActivation"]
            Sequential(
                Conv2d(expanded, expanded, kernel, stride = stride, padding = (kernel - 1) / 2, groups = expanded, bias = false),
                BatchNorm2d(expanded),
                SiLU(inplace = true),
            ),
            SqueezeExcitation(expanded, max(1, input_channels / 4)),
            #[class = "Conv2dNormActivation"]
            Sequential(Conv2d(expanded, out_channels, 1, bias = false), BatchNorm2d(out_channels)),
        ),
        if stride == 1 && input_channels == out_channels {
            add(result -> stochastic_depth: StochasticDepth(sd_prob, "row"), input)
        } else {
            result
        }
    }

    /// EfficientNet-B0: seven stages of MBConv blocks (16 in all, stochastic
    /// depth rising to 0.2 across them).
    // Its last units see past the image's edges, as a classifier's do by design.
    #[allow(netshape::receptive_field_exceeds_input)]
    pub struct EfficientNetB0 {
        input: [3, 224, 224],
        features: [
            #[class = "Conv2dNormActivation"]
            Sequential(Conv2d(3, 32, 3, stride = 2, padding = 1, bias = false), BatchNorm2d(32), SiLU(inplace = true)),
            Sequential(MBConv(32, 16, 3, 1, 1, 0.2 * 0 / 16)),
            Sequential(MBConv(16, 24, 3, 2, 6, 0.2 * 1 / 16), MBConv(24, 24, 3, 1, 6, 0.2 * 2 / 16)),
            Sequential(MBConv(24, 40, 5, 2, 6, 0.2 * 3 / 16), MBConv(40, 40, 5, 1, 6, 0.2 * 4 / 16)),
            Sequential(
                MBConv(40, 80, 3, 2, 6, 0.2 * 5 / 16),
                MBConv(80, 80, 3, 1, 6, 0.2 * 6 / 16),
                MBConv(80, 80, 3, 1, 6, 0.2 * 7 / 16),
            ),
            Sequential(
                MBConv(80, 112, 5, 1, 6, 0.2 * 8 / 16),
                MBConv(112, 112, 5, 1, 6, 0.2 * 9 / 16),
                MBConv(112, 112, 5, 1, 6, 0.2 * 10 / 16),
            ),
            Sequential(
                MBConv(112, 192, 5, 2, 6, 0.2 * 11 / 16),
                for i in 12..15 { MBConv(192, 192, 5, 1, 6, 0.2 * i / 16) }
            ),
            Sequential(MBConv(192, 320, 3, 1, 6, 0.2 * 15 / 16)),
            #[class = "Conv2dNormActivation"]
            Sequential(Conv2d(320, 1280, 1, bias = false), BatchNorm2d(1280), SiLU(inplace = true)),
        ],
        avgpool: AdaptiveAvgPool2d(1),
        flatten(1),
        classifier: [Dropout(p = 0.2, inplace = true), Linear(1280, 1000)],
    }
}

const _: () = assert!(EfficientNetB0::TOTAL_PARAMS == 5_288_548);

fn main() {
    print!("{}", EfficientNetB0::SUMMARY);
}
