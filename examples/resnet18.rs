//! torchvision's `resnet18` at 224×224, transcribed block for block.
//! `cargo run --example resnet18` prints torchsummary's table for it, the
//! same as `torchsummary.summary(torchvision.models.resnet18(), (3, 224, 224))`.

use netshape::network;

network! {
    /// torchvision's `BasicBlock`: two 3×3 convolutions and a shortcut, which
    /// projects the input when the stride or the width changes.
    pub block BasicBlock(inplanes, planes, stride = 1) {
        add(
            [
                conv1: Conv2d(inplanes, planes, 3, stride = stride, padding = 1, bias = false),
                bn1: BatchNorm2d(planes),
                relu: ReLU(inplace = true),
                conv2: Conv2d(planes, planes, 3, padding = 1, bias = false),
                bn2: BatchNorm2d(planes),
            ],
            downsample: [
                // The 1×1 stride-2 shortcut reads every other row and column, as
                // in torchvision (ResNet-D pools first to read them all).
                #[allow(netshape::uncovered_input)]
                Conv2d(inplanes, planes, 1, stride = stride, bias = false),
                BatchNorm2d(planes),
            ] if stride != 1 || inplanes != planes,
        ),
        relu,
    }

    /// ResNet-18: a stem, four stages of two basic blocks, and a classifier.
    // Its last units see past the image's edges, as a classifier's do by design.
    #[allow(netshape::receptive_field_exceeds_input)]
    pub struct ResNet18 {
        input: [3, 224, 224],
        conv1: Conv2d(3, 64, kernel_size = 7, stride = 2, padding = 3, bias = false),
        bn1: BatchNorm2d(64),
        relu: ReLU(inplace = true),
        maxpool: MaxPool2d(kernel_size = 3, stride = 2, padding = 1),
        layer1: [BasicBlock(64, 64), BasicBlock(64, 64)],
        layer2: [BasicBlock(64, 128, stride = 2), BasicBlock(128, 128)],
        layer3: [BasicBlock(128, 256, stride = 2), BasicBlock(256, 256)],
        layer4: [BasicBlock(256, 512, stride = 2), BasicBlock(512, 512)],
        avgpool: AdaptiveAvgPool2d((1, 1)),
        flatten(1),
        fc: Linear(512, 1000),
    }
}

const _: () = assert!(ResNet18::TOTAL_PARAMS == 11_689_512);

fn main() {
    print!("{}", ResNet18::SUMMARY);
}
