use netshape::network;

network! {
    pub struct Net {
        input: [3, 32, 32],
        conv: Conv2d(3, 16, kernel_size = 3),
        relu: ReLU(),
        conv: Conv2d(16, 16, kernel_size = 3),
    }
}

fn main() {}
