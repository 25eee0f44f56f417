use netshape::network;

network! {
    block Stage(inplanes, planes) {
        conv1: Conv2d(inplanes, planes, 3, padding = 1),
        relu(),
        conv2: Conv2d(inplanes, planes, 3, padding = 1),
    }

    pub struct Net {
        input: [16, 8, 8],
        layer1: Stage(16, 16),
        layer2: Stage(16, 32),
        layer3: Stage(32, 64),
        layer4: Stage(64, 128),
    }
}

fn main() {}
