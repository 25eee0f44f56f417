use netshape::network;

network! {
    pub struct Net {
        input: [1, 28, 28],
        conv1: Conv2d(1, 10, kernel_size = 5)
        relu(),
    }
}

fn main() {
    print!("{}", Net::SUMMARY);
}
