use netshape::network;

network! {
    pub struct Net {
        input: [3, 32, 32],
        up: Upsample(size = 64, scale_factor = 2),
    }
}

fn main() {}
