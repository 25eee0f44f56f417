use netshape::network;

network! {
    pub struct Net {
        input: [1, 28, 28],
        conv1: Conv2d(1, 20, kernel_size = 5),
        max_pool2d(2),
        view(-1, 20 * 4 * 4),
    }
}

fn main() {}
