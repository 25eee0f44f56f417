use netshape::network;

network! {
    block Stage(c, width) {
        conv: Conv2d(c, wdth, 3, padding = 1, groups = 4),
    }

    pub struct Net {
        input: [16, 8, 8],
        one: Stage(16, 32),
        two: Stage(16, 32),
    }
}

fn main() {}
