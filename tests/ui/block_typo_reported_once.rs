use netshape::network;

network! {
    pub block Stage(channels) {
        conv: Conv2D(channels, channels, 3, padding = 1),
    }

    pub struct Net {
        input: [16, 32, 32],
        one: Stage(16),
        two: Stage(16),
        three: Stage(16),
    }
}

fn main() {}
