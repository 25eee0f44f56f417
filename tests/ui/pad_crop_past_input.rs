use netshape::network;

network! {
    pub struct Net {
        input: [2, 3],
        pad: ConstantPad1d((-4, 2), 0.0),
    }
}

fn main() {}
