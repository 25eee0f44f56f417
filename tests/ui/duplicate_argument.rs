use netshape::network;

network! {
    pub struct Net {
        input: [3, 32, 32],
        conv1: Conv2d(3, 16, 3, kernel_size = 5),
        pool: MaxPool2d(2, stride = 2, stride = 1),
    }
}

fn main() {}
