use netshape::network;

network! {
    pub struct Net {
        input: [4],
        Linear(4, 2),
    }

    pub struct Net {
        input: [4],
        Linear(4, 3),
    }
}

fn main() {}
