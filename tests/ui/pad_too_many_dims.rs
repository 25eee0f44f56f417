use netshape::network;

network! {
    pub struct Net {
        input: [2, 3, 3, 3],
        pad((1, 1, 1, 1, 1, 1, 1, 1), mode = "replicate"),
    }
}

fn main() {}
