use netshape::network;

network! {
    pub struct Net {
        input: [3, 32, 32],
        conv1: Conv2d(3, 16),
    }
}

fn main() {}
