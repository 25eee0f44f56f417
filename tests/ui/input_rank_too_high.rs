use netshape::network;

network! {
    pub struct Net {
        input: [1, 2, 3, 4, 5, 6, 7, 8, 9],
        ReLU(),
    }
}

fn main() {}
