use netshape::network;

network! {
    pub struct Net {
        input: [3, 32, 32],
        conv1: Conv2D(3, 16, kernel_size = 3),
    }
}

fn main() {}
