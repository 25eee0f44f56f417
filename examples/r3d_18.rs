//! torchvision's `r3d_18` (`torchvision.models.video.r3d_18`), an 18-layer
//! ResNet of 3D convolutions for 16-frame clips at 112×112, transcribed block
//! for block. `cargo run --example r3d_18` prints torchsummary's table for it,
//! the same as
//! `torchsummary.summary(torchvision.models.video.r3d_18(), (3, 16, 112, 112))`.

use netshape::network;

network! {
    /// torchvision's video `BasicBlock` with the `Conv3DSimple` builder: two
    /// 3×3×3 convolutions, each in a Sequential with its batch norm (the first
    /// with its ReLU too), and a shortcut that projects the input when the
    /// stride or the width changes. `Conv3DSimple` is an `nn.Conv3d` subclass,
    /// so `#[class]` gives its rows torchvision's class name.
    pub block BasicBlock(inplanes, planes, stride = 1) {
        add(
            [
                conv1: [
                    #[class = "Conv3DSimple"]
                    Conv3d(inplanes, planes, 3, stride = stride, padding = 1, bias = false),
                    BatchNorm3d(planes),
                    ReLU(inplace = true),
                ],
                conv2: [
                    #[class = "Conv3DSimple"]
                    Conv3d(planes, planes, 3, padding = 1, bias = false),
                    BatchNorm3d(planes),
                ],
            ],
            downsample: [
                // The 1×1×1 stride-2 shortcut reads every other frame, row and
                // column, as in torchvision.
                #[allow(netshape::uncovered_input)]
                Conv3d(inplanes, planes, 1, stride = stride, bias = false),
                BatchNorm3d(planes),
            ] if stride != 1 || inplanes != planes,
        ),
        relu: ReLU(inplace = true),
    }

    /// R3D-18 (`VideoResNet`): the `BasicStem`, four stages of two basic
    /// blocks, and a classifier over Kinetics-400's 400 classes.
    // Its last units see past the clip's edges, as a classifier's do by design.
    #[allow(netshape::receptive_field_exceeds_input)]
    pub struct R3d18 {
        input: [3, 16, 112, 112],
        #[class = "BasicStem"]
        stem: [
            Conv3d(3, 64, kernel_size = (3, 7, 7), stride = (1, 2, 2), padding = (1, 3, 3), bias = false),
            BatchNorm3d(64),
            ReLU(inplace = true),
        ],
        layer1: [BasicBlock(64, 64), BasicBlock(64, 64)],
        layer2: [BasicBlock(64, 128, stride = 2), BasicBlock(128, 128)],
        layer3: [BasicBlock(128, 256, stride = 2), BasicBlock(256, 256)],
        layer4: [BasicBlock(256, 512, stride = 2), BasicBlock(512, 512)],
        avgpool: AdaptiveAvgPool3d((1, 1, 1)),
        flatten(1),
        fc: Linear(512, 400),
    }
}

const _: () = assert!(R3d18::TOTAL_PARAMS == 33_371_472);

fn main() {
    print!("{}", R3d18::SUMMARY);
}
