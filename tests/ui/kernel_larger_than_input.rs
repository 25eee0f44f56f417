use netshape::network;

network! {
    pub struct Net {
        input: [3, 8, 8],
        conv1: Conv2d(3, 8, kernel_size = 5),
        conv2: Conv2d(8, 8, kernel_size = (3, 7), padding = (0, 1)),
    }
}

fn main() {}
