use netshape::network;

network! {
    pub struct Net {
        input: [3, 32, 32],
        conv: Conv2d(3, 8, 3),
        pool: max_pool2d(2),
    }
}

fn main() {}
