//! torchvision's `squeezenet1_0` at 224×224: fire modules, each squeezing the
//! channels with 1×1 convolutions and expanding them again with 1×1 and 3×3
//! ones side by side. `cargo run --example squeezenet1_0` prints the table
//! torchsummary prints for `torchvision.models.squeezenet1_0()`, byte for byte.

use netshape::network;

network! {
    /// torchvision's `Fire`: squeeze to `squeeze_planes`, then the 1×1 and 3×3
    /// expansions of the squeezed value, concatenated along the channels.
    pub block Fire(inplanes, squeeze_planes, expand1x1_planes, expand3x3_planes) {
        squeeze: Conv2d(inplanes, squeeze_planes, kernel_size = 1),
        squeeze_activation: ReLU(inplace = true),
        cat(
            dim = 1,
            [
                expand1x1: Conv2d(squeeze_planes, expand1x1_planes, kernel_size = 1),
                expand1x1_activation: ReLU(inplace = true),
            ],
            [
                expand3x3: Conv2d(squeeze_planes, expand3x3_planes, kernel_size = 3, padding = 1),
                expand3x3_activation: ReLU(inplace = true),
            ],
        ),
    }

    /// SqueezeNet 1.0: a 7×7 stem, eight fire modules between three ceil-mode
    /// max pools, and a classifier that is a 1×1 convolution, pooled.
    pub struct SqueezeNet {
        input: [3, 224, 224],
        features: [
            // 7/s2 without padding stops one row and column short of 224.
            #[allow(netshape::uncovered_input)]
            Conv2d(3, 96, kernel_size = 7, stride = 2),
            ReLU(inplace = true),
            MaxPool2d(kernel_size = 3, stride = 2, ceil_mode = true),
            Fire(96, 16, 64, 64),
            Fire(128, 16, 64, 64),
            Fire(128, 32, 128, 128),
            MaxPool2d(kernel_size = 3, stride = 2, ceil_mode = true),
            Fire(256, 32, 128, 128),
            Fire(256, 48, 192, 192),
            Fire(384, 48, 192, 192),
            Fire(384, 64, 256, 256),
            MaxPool2d(kernel_size = 3, stride = 2, ceil_mode = true),
            Fire(512, 64, 256, 256),
        ],
        // No linear layer: the final 1×1 convolution gives the class scores,
        // averaged over the positions and flattened in `forward`.
        classifier: [
            Dropout(p = 0.5),
            Conv2d(512, 1000, kernel_size = 1),
            ReLU(inplace = true),
            AdaptiveAvgPool2d((1, 1)),
        ],
        flatten(1),
    }
}

const _: () = assert!(SqueezeNet::TOTAL_PARAMS == 1_248_424);

fn main() {
    print!("{}", SqueezeNet::SUMMARY);
}
