use netshape::network;

network! {
    pub struct Net {
        input: [1, 28, 28],
        conv1: Conv2d(1, 10, kernel_size = 5),
        max_pool2d(2),
        relu(),
        conv2: Conv2d(10, 20, kernel_size = 5),
        max_pool2d(2),
        relu(),
        view(-1, 320),
        fc1: Linear(300, 50),
        fc2: Linear(50, 10),
    }
}

fn main() {}
