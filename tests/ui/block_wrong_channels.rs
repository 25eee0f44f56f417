use netshape::network;

network! {
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
                Conv2d(inplanes, planes, 1, stride = stride, bias = false),
                BatchNorm2d(planes),
            ] if stride != 1 || inplanes != planes,
        ),
        relu,
    }

    pub struct Net {
        input: [64, 56, 56],
        layer2: [BasicBlock(64, 128, stride = 2), BasicBlock(64, 128)],
    }
}

fn main() {}
