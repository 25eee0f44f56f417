use netshape::network;

network! {
    pub block Residual(channels) {
        add(
            [conv: Conv2d(channels, channels * 2, 3, padding = 1)],
            [],
        ),
    }

    pub struct Net {
        input: [16, 32, 32],
        block: Residual(16),
    }
}

fn main() {}
