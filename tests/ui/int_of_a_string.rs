use netshape::network;

network! {
    block Bottleneck(planes, base_width = 64) {
        conv: Conv2d(planes, int(planes * (base_width / 64.0)), 1),
        fc: Linear(8, int("wide")),
    }

    pub struct Net {
        input: [64, 8, 8],
        Bottleneck(64),
    }
}

fn main() {}
