use netshape::network;

network! {
    pub struct Net {
        input: [5],
        pad((1, 1), mode = "circular"),
    }
}

fn main() {}
