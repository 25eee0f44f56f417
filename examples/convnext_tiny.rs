//! torchvision's `convnext_tiny` (`torchvision.models.convnext_tiny`),
//! transcribed block for block: a patchify stem, four stages of ConvNeXt
//! blocks with downsampling between them, and a normalised linear head.
//! `cargo run --example convnext_tiny` prints torchsummary's table for it, the
//! same as `torchsummary.summary(torchvision.models.convnext_tiny(), (3, 224, 224))`
//! (which, counting `weight` and `bias` only, leaves the `layer_scale`s out).

use netshape::network;

network! {
    /// torchvision's `CNBlock`: a 7×7 depthwise convolution, then a
    /// channels-last layer norm and an inverted MLP, scaled per channel by
    /// the block's own parameter `layer_scale` (an `nn.Parameter`, listed in
    /// the `state_dict` before the block's children), then stochastic depth
    /// and the residual. `sd_prob` grows linearly over the network's blocks.
    pub block CNBlock(dim, sd_prob) {
        layer_scale: Parameter(dim, 1, 1),
        let scaled = mul(
            layer_scale,
            block: [
                Conv2d(dim, dim, 7, padding = 3, groups = dim),
                Permute((0, 2, 3, 1)),
                LayerNorm(dim, eps = 1e-6),
                Linear(dim, 4 * dim),
                GELU(),
                Linear(4 * dim, dim),
                Permute((0, 3, 1, 2)),
            ],
        ),
        stochastic_depth: StochasticDepth(sd_prob, "row")(scaled),
        add([], input),
    }

    /// ConvNeXt-T at 224×224: stages of 3, 3, 9 and 3 blocks of 96, 192,
    /// 384 and 768 channels; block `i` of the 18 drops with probability
    /// 0.1 · i / 17.
    #[allow(netshape::receptive_field_exceeds_input)]
    pub struct ConvNeXtTiny {
        input: [3, 224, 224],
        features: [
            #[class = "Conv2dNormActivation"]
            Sequential(Conv2d(3, 96, 4, stride = 4), LayerNorm2d(96, eps = 1e-6)),
            Sequential(for i in 0..3 { CNBlock(96, 0.1 * i / 17.0) }),
            Sequential(LayerNorm2d(96, eps = 1e-6), Conv2d(96, 192, 2, stride = 2)),
            Sequential(for i in 3..6 { CNBlock(192, 0.1 * i / 17.0) }),
            Sequential(LayerNorm2d(192, eps = 1e-6), Conv2d(192, 384, 2, stride = 2)),
            Sequential(for i in 6..15 { CNBlock(384, 0.1 * i / 17.0) }),
            Sequential(LayerNorm2d(384, eps = 1e-6), Conv2d(384, 768, 2, stride = 2)),
            Sequential(for i in 15..18 { CNBlock(768, 0.1 * i / 17.0) }),
        ],
        avgpool: AdaptiveAvgPool2d(1),
        classifier: [LayerNorm2d(768, eps = 1e-6), Flatten(1), Linear(768, 1000)],
    }
}

const _: () = assert!(ConvNeXtTiny::TOTAL_PARAMS == 28_589_128);

fn main() {
    print!("{}", ConvNeXtTiny::SUMMARY);
}
