//! torchvision's `shufflenet_v2_x1_0` at 224×224: each unit convolves half of
//! the channels (or, when it downsamples, both halves of a copy) and shuffles
//! the two halves together. `cargo run --example shufflenet_v2_x1_0` prints
//! torchsummary's table for it.

use netshape::network;

network! {
    /// torchvision's `InvertedResidual` (ShuffleNet's unit). With stride 1 the
    /// input is split in two: the first half passes through, the second goes
    /// through `branch2` (torchvision's `branch1` is then an empty
    /// `nn.Sequential()`: no keys, never called, so not written here). With
    /// stride 2, `branch1` and `branch2` both see the whole input. Either way
    /// the halves are joined and shuffled by torchvision's plain function
    /// `channel_shuffle(out, 2)`: shapes only, no row.
    pub block InvertedResidual(inp, oup, stride) {
        const branch_features = oup / 2,
        if stride == 1 {
            let (x1, x2) = chunk(2, dim = 1),
            cat(
                dim = 1,
                x1,
                x2 -> branch2: [
                    Conv2d(branch_features, branch_features, kernel_size = 1, stride = 1, padding = 0, bias = false),
                    BatchNorm2d(branch_features),
                    ReLU(inplace = true),
                    // `depthwise_conv`: a convolution with `groups` = its input channels
                    Conv2d(branch_features, branch_features, 3, 1, 1, bias = false, groups = branch_features),
                    BatchNorm2d(branch_features),
                    Conv2d(branch_features, branch_features, kernel_size = 1, stride = 1, padding = 0, bias = false),
                    BatchNorm2d(branch_features),
                    ReLU(inplace = true),
                ],
            ),
        } else {
            cat(
                dim = 1,
                branch1: [
                    Conv2d(inp, inp, 3, stride, 1, bias = false, groups = inp),
                    BatchNorm2d(inp),
                    Conv2d(inp, branch_features, kernel_size = 1, stride = 1, padding = 0, bias = false),
                    BatchNorm2d(branch_features),
                    ReLU(inplace = true),
                ],
                // the same layers as above, but from the whole input
                branch2: [
                    Conv2d(inp, branch_features, kernel_size = 1, stride = 1, padding = 0, bias = false),
                    BatchNorm2d(branch_features),
                    ReLU(inplace = true),
                    Conv2d(branch_features, branch_features, 3, stride, 1, bias = false, groups = branch_features),
                    BatchNorm2d(branch_features),
                    Conv2d(branch_features, branch_features, kernel_size = 1, stride = 1, padding = 0, bias = false),
                    BatchNorm2d(branch_features),
                    ReLU(inplace = true),
                ],
            ),
        }
        channel_shuffle(2),
    }

    /// ShuffleNet V2 (width 1.0): stages of 4, 8 and 4 units with 116, 232 and
    /// 464 channels, each stage opened by a unit of stride 2.
    // Its last units see past the image's edges, as a classifier's do by design.
    #[allow(netshape::receptive_field_exceeds_input)]
    pub struct ShuffleNetV2 {
        input: [3, 224, 224],
        conv1: [Conv2d(3, 24, 3, 2, 1, bias = false), BatchNorm2d(24), ReLU(inplace = true)],
        maxpool: MaxPool2d(kernel_size = 3, stride = 2, padding = 1),
        stage2: [InvertedResidual(24, 116, 2), for _ in 0..3 { InvertedResidual(116, 116, 1) }],
        stage3: [InvertedResidual(116, 232, 2), for _ in 0..7 { InvertedResidual(232, 232, 1) }],
        stage4: [InvertedResidual(232, 464, 2), for _ in 0..3 { InvertedResidual(464, 464, 1) }],
        conv5: [Conv2d(464, 1024, 1, 1, 0, bias = false), BatchNorm2d(1024), ReLU(inplace = true)],
        mean(dim = (2, 3)),                     // `x.mean([2, 3])`: the global pool
        fc: Linear(1024, 1000),
    }
}

const _: () = assert!(ShuffleNetV2::TOTAL_PARAMS == 2_278_604);

fn main() {
    print!("{}", ShuffleNetV2::SUMMARY);
}
