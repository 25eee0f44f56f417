use netshape::network;

network! {
    pub struct Net {
        input: [48, 16, 16],
        norm: GroupNorm(num_groups = 32, num_channels = 48),
    }
}

fn main() {}
