use netshape::network;

network! {
    pub struct Net {
        input: [3, 8, 8],
        up: Upsample(size = 16, recompute_scale_factor = true),
    }
}

fn main() {}
