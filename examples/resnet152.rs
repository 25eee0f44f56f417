//! torchvision's `resnet152` at 224×224: ResNet-152 (v1.5, the stride on the
//! 3×3 convolution) with bottleneck blocks. `cargo run --example resnet152`
//! prints torchsummary's table for it, the same as
//! `torchsummary.summary(torchvision.models.resnet152(), (3, 224, 224))`.

use netshape::network;

network! {
    /// torchvision's `Bottleneck`: a 1×1 convolution down to `planes`, a 3×3
    /// that carries the stride, a 1×1 back up to `planes * 4`, and a shortcut
    /// that projects the input when the stride or the width changes. One
    /// `relu` module is called three times.
    pub block Bottleneck(inplanes, planes, stride = 1) {
        add(
            [
                conv1: Conv2d(inplanes, planes, 1, bias = false),
                bn1: BatchNorm2d(planes),
                relu: ReLU(inplace = true),
                conv2: Conv2d(planes, planes, 3, stride = stride, padding = 1, bias = false),
                bn2: BatchNorm2d(planes),
                relu,
                conv3: Conv2d(planes, planes * 4, 1, bias = false),
                bn3: BatchNorm2d(planes * 4),
            ],
            downsample: [
                // The 1×1 stride-2 shortcut reads every other row and column, as
                // in torchvision (ResNet-D pools first to read them all).
                #[allow(netshape::uncovered_input)]
                Conv2d(inplanes, planes * 4, 1, stride = stride, bias = false),
                BatchNorm2d(planes * 4),
            ] if stride != 1 || inplanes != planes * 4,
        ),
        relu,
    }

    /// ResNet-152: a stem, four stages of 3, 8, 36 and 3 bottlenecks, and a
    /// classifier.
    // Its last units see past the image's edges, as a classifier's do by design.
    #[allow(netshape::receptive_field_exceeds_input)]
    pub struct ResNet152 {
        input: [3, 224, 224],
        conv1: Conv2d(3, 64, kernel_size = 7, stride = 2, padding = 3, bias = false),
        bn1: BatchNorm2d(64),
        relu: ReLU(inplace = true),
        maxpool: MaxPool2d(kernel_size = 3, stride = 2, padding = 1),
        layer1: [Bottleneck(64, 64), for _ in 1..3 { Bottleneck(256, 64) }],
        layer2: [Bottleneck(256, 128, stride = 2), for _ in 1..8 { Bottleneck(512, 128) }],
        layer3: [Bottleneck(512, 256, stride = 2), for _ in 1..36 { Bottleneck(1024, 256) }],
        layer4: [Bottleneck(1024, 512, stride = 2), for _ in 1..3 { Bottleneck(2048, 512) }],
        avgpool: AdaptiveAvgPool2d((1, 1)),
        flatten(1),
        fc: Linear(2048, 1000),
    }
}

const _: () = assert!(ResNet152::TOTAL_PARAMS == 60_192_808);

fn main() {
    print!("{}", ResNet152::SUMMARY);
}
