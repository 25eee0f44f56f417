use netshape::network;

network! {
    pub struct Net {
        input: [2, 3],
        pad((1, 1), mode = "reflect", value = 1.0),
    }
}

fn main() {}
