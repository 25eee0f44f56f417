use netshape::network;

network! {
    pub struct Net {
        input: [6, 5],
        norm: GroupNorm(4, 8, affine = false),
    }
}

fn main() {}
