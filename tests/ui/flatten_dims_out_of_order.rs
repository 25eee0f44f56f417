use netshape::network;

network! {
    pub struct Net {
        input: [8, 4, 4],
        Flatten(start_dim = 3, end_dim = 1),
    }
}

fn main() {}
