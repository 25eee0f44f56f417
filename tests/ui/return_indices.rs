use netshape::network;

network! {
    pub struct Net {
        input: [3, 32, 32],
        pool: MaxPool2d(2, return_indices = true),
    }
}

fn main() {}
