use netshape::network;

network! {
    pub struct Net {
        input: [1, 28, 28],
        conv1: Conv2d(1, 10, kernel_size = 5),
        max_pool2d(4),
        conv2: Conv2d(10, 20, kernel_size = 5),
        MaxPool2d(kernel_size = 4),
    }
}

fn main() {}
