use netshape::network;

network! {
    pub struct Net {
        input: [3, 32, 32],
        features: Conv2d(3, 16, kernel_size = 3, stride = 2),
        flatten(1),
        classifier: Linear(16 * 16 * 16, 10),
    }
}

fn main() {}
