use netshape::network;

network! {
    pub struct Net {
        input: [3, 64, 64],
        norm: InstanceNorm2d(64, affine = true),
    }
}

fn main() {}
