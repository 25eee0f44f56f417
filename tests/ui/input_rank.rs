use netshape::network;

network! {
    pub struct Net {
        input: [1, 28, 28],
        view(-1, 784),
        conv: Conv2d(1, 8, kernel_size = 3),
    }
}

fn main() {}
