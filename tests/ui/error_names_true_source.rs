use netshape::network;

network! {
    pub struct Net {
        input: [64, 8, 8],
        conv1: Conv2d(64, 64, 3, padding = 1),
        conv2: Conv2d(32, 64, 3, padding = 1),
    }
}

fn main() {}
