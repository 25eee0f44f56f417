use netshape::network;

network! {
    pub block Stage(channels, stride = 1) {
        conv: Conv2d(channels, channels, 3, stride = stride, padding = 1),
    }

    pub struct Net {
        input: [16, 32, 32],
        stage: Stage(16, strides = 2),
    }
}

fn main() {}
