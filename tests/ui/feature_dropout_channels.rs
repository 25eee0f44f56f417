use netshape::network;

network! {
    pub struct Net {
        input: [],
        dropout2d(0.2),
    }
}

fn main() {}
