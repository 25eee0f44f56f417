use netshape::network;

network! {
    pub struct Net {
        input: [3, 1, 8],
        down: Upsample(scale_factor = 0.5),
    }
}

fn main() {}
